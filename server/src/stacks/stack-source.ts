import { lookup } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { BadRequestError, StackUnreachableError } from '../errors';

// A Play-with-Docker link's compose file (/?stack=<URL>), fetched by the server before a session is
// made for it: a URL that cannot be read is said in words, and no session is made. The server is
// the one asking, so where it may ask is guarded: by default only public addresses (checked on the
// address actually connected to, redirects included), never this machine, its LAN or a sandbox.

/** STACK_LINKS: public (default): public addresses only; any: also private ones (a LAN, tests); off. */
export type StackLinkPolicy = 'public' | 'any' | 'off';

export const STACK_MAX_BYTES = 64 * 1024;
const FETCH_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;

/** Addresses a public link must not reach: loopback, private, link-local, CGNAT, multicast, unique-local. */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3]] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

export function isPublicAddress(address: string): boolean {
  // An IPv4-mapped IPv6 address is its IPv4 address (a ::ffff:0:0/96 rule would also match every IPv4 one).
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address); // as URL writes it: [::ffff:7f00:1]
  const fromHex = hex ? [parseInt(hex[1]!, 16) >> 8, parseInt(hex[1]!, 16) & 255, parseInt(hex[2]!, 16) >> 8, parseInt(hex[2]!, 16) & 255].join('.') : undefined;
  const plain = dotted ? dotted[1]! : (fromHex ?? address);
  const family = isIP(plain);
  return family !== 0 && !NOT_PUBLIC.check(plain, family === 4 ? 'ipv4' : 'ipv6');
}

/** The link's URL, checked: http or https, with a host, at most 2048 characters. */
export function stackUrl(value: unknown): URL {
  if (typeof value !== 'string' || value.length > 2048) throw new BadRequestError('"stack" must be the URL of a compose file (http or https, at most 2048 characters).');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BadRequestError(`"stack" is not a URL: ${JSON.stringify(value.slice(0, 200))}.`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname || url.username || url.password) {
    throw new BadRequestError('"stack" must be an http or https URL of a compose file, without a user name or password.');
  }
  return url;
}

/** The compose project name a link asks for (stack_name), or "stack": what `docker compose -p` takes. */
export function stackName(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'stack';
  if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,62}$/.test(value)) {
    throw new BadRequestError('"stackName" must be lowercase letters, digits, dashes and underscores, starting with a letter or digit.');
  }
  return value;
}

/** Resolves like dns.lookup, refusing (for a public policy) any answer that is not a public address. */
function guardedLookup(policy: StackLinkPolicy): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as unknown as Array<{ address: string; family: number }>;
      const refused = policy === 'public' ? list.find((entry) => !isPublicAddress(entry.address)) : undefined;
      if (refused) return callback(Object.assign(new Error(`${hostname} is ${refused.address}, not a public address (STACK_LINKS=public)`), { code: 'ENOTPUBLIC' }), '', 0);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      callback(null, first.address, first.family);
    });
  };
}

function getOnce(url: URL, policy: StackLinkPolicy): Promise<{ response: IncomingMessage; body: Buffer }> {
  // An IP literal is never looked up: it is checked here.
  const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (policy === 'public' && isIP(literal) !== 0 && !isPublicAddress(literal)) {
    return Promise.reject(new Error(`${literal} is not a public address (STACK_LINKS=public)`));
  }
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: 'GET', lookup: guardedLookup(policy), headers: { accept: 'text/yaml, application/yaml, text/plain, */*' }, timeout: FETCH_TIMEOUT_MS }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > STACK_MAX_BYTES) {
          request.destroy(new Error(`it is larger than ${STACK_MAX_BYTES / 1024} KiB`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => resolve({ response, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${FETCH_TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
    request.end();
  });
}

/** The compose file at `url`: its text, or StackUnreachableError saying why in words. */
export async function fetchStackFile(url: URL, policy: StackLinkPolicy): Promise<string> {
  if (policy === 'off') throw new BadRequestError('Stack links are turned off on this playground (STACK_LINKS=off).');
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    let answer: { response: IncomingMessage; body: Buffer };
    try {
      answer = await getOnce(current, policy);
    } catch (error) {
      throw new StackUnreachableError(url.href, (error as Error).message);
    }
    const { response, body } = answer;
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      const next = new URL(response.headers.location, current);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new StackUnreachableError(url.href, `it redirects to ${next.protocol} addresses`);
      current = next;
      continue;
    }
    if (status !== 200) throw new StackUnreachableError(url.href, `the server there answered ${status}`);
    const text = body.toString('utf8');
    if (text.trim() === '') throw new StackUnreachableError(url.href, 'it is empty');
    if (/^\s*</.test(text)) throw new StackUnreachableError(url.href, 'it is a web page, not a compose file (for a file on GitHub, link its "Raw" address)');
    return text;
  }
  throw new StackUnreachableError(url.href, `it redirects more than ${MAX_REDIRECTS} times`);
}
