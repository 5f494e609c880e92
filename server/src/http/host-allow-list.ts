import { isIP } from 'node:net';
import type { ErrorBody } from '../protocol/api-types';

// Which Host headers the playground answers. Pure.
//
// DNS rebinding: a page on evil.example makes its own name resolve to 127.0.0.1 (or a LAN address
// of this server); the browser then treats the playground as evil.example's own origin, so the
// Origin check passes and the page can start sessions and open root shells. Such requests carry
// `Host: evil.example`, so answering only names the playground is served under stops them.

export interface HostAllowList {
  /** Exact host names and addresses (lower case, IPv6 without brackets). */
  names: ReadonlySet<string>;
  /** Host-form previews live one label under this (PUBLIC_HOST). */
  publicHost: string;
}

export interface HostAllowListSources {
  /** HOST: added unless it is a wildcard address. */
  listenHost: string;
  /** With a wildcard HOST, the machine's own addresses (IP literals cannot be rebound names). */
  interfaceAddresses?: readonly string[];
  /** ALLOWED_ORIGINS: their hosts serve the page too. */
  allowedOrigins: readonly string[];
  /** ALLOWED_HOSTS: the names the page is served under (a LAN address, a domain). */
  allowedHosts: readonly string[];
  publicHost: string;
}

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);

export function hostAllowList(sources: HostAllowListSources): HostAllowList {
  const names = new Set(['localhost', '127.0.0.1', '::1']);
  if (WILDCARDS.has(sources.listenHost)) {
    for (const address of sources.interfaceAddresses ?? []) names.add(normalHost(address));
    if (sources.listenHost !== '') names.add(normalHost(sources.listenHost)); // the URL the log prints
  } else {
    names.add(normalHost(sources.listenHost));
  }
  for (const origin of sources.allowedOrigins) {
    try {
      names.add(normalHost(new URL(origin).hostname));
    } catch {
      // Not a URL: it can never match an Origin either.
    }
  }
  for (const host of sources.allowedHosts) names.add(normalHost(host));
  return { names, publicHost: normalHost(sources.publicHost) };
}

/** The name in a Host header: without its port, brackets and trailing dot, lower case. */
export function hostOf(hostHeader: string): string {
  const trimmed = hostHeader.trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\](:\d*)?$/.exec(trimmed);
  if (bracketed) return bracketed[1]!;
  return normalHost(trimmed.replace(/:\d*$/, ''));
}

function normalHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '').replace(/\.$/, '');
}

/**
 * Whether a request's Host header names this playground: one of the names, at any port (behind a
 * reverse proxy the port the browser used is not the one the server listens on), or a preview
 * host under PUBLIC_HOST. A missing Host is refused too: every browser sends one.
 */
export function isAllowedHost(hostHeader: string | undefined, list: HostAllowList): boolean {
  if (hostHeader === undefined) return false;
  const host = hostOf(hostHeader);
  if (host === '') return false;
  if (list.names.has(host)) return true;
  // One label under PUBLIC_HOST (the preview router answers the label's shape). Not for an IP.
  if (isIP(host) !== 0) return false;
  const suffix = `.${list.publicHost}`;
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.');
}

/** Parses ALLOWED_HOSTS: comma-separated host names or addresses, without scheme, port or path. */
export function parseAllowedHosts(text: string): string[] {
  const hosts = text
    .split(',')
    .map((host) => host.trim())
    .filter(Boolean);
  for (const host of hosts) {
    const bare = normalHost(host);
    if (isIP(bare) === 0 && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(bare)) {
      throw new Error(`"${host}" is not a host name or address (write it without scheme, port or path, e.g. play.example.com or 192.168.1.20)`);
    }
  }
  return hosts.map(normalHost);
}

/** The 421 answer's body: the name asked for, and what an operator can do. A front answers it too. */
export function misdirected(host: string | undefined): ErrorBody {
  const name = host === undefined ? 'no name' : JSON.stringify(host.slice(0, 200));
  return {
    error: {
      code: 'misdirected_host',
      message:
        `This playground is not served under ${name}. Open it at the address its operator gave you. ` +
        'Operators: add the host name to ALLOWED_HOSTS (or ALLOWED_ORIGINS) if this is one of yours.',
    },
  };
}
