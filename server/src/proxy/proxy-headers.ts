import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

// Header handling of the preview proxy. Pure.

/** Hop-by-hop headers: they describe one connection, never forwarded (RFC 9110, 7.6.1). */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

/**
 * Path-form previews run on the playground's own origin; this gives them an opaque origin instead,
 * so a page served from an instance cannot use the playground's API as the visitor.
 */
export const PATH_FORM_CSP = 'sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads';

/**
 * Response headers a preview may never send. Path-form previews share the playground's origin, so
 * their cookies would be the playground's: they may neither set nor clear any. Clear-Site-Data
 * "cookies" clears the whole registrable domain, so even a host-form preview (its own origin, its
 * own cookies) could wipe the playground's and its neighbours' storage with it.
 */
const PREVIEW_MAY_NOT_SEND: Record<'path' | 'host', readonly string[]> = {
  path: ['set-cookie', 'clear-site-data'],
  host: ['clear-site-data'],
};

function withoutHopByHop(headers: IncomingHttpHeaders, keepUpgrade: boolean): Record<string, string | string[]> {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const drop = new Set([...HOP_BY_HOP, ...named]);
  if (keepUpgrade) {
    drop.delete('upgrade');
    drop.delete('connection');
  }
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || drop.has(name)) continue;
    kept[name] = value;
  }
  return kept;
}

export interface ForwardContext {
  /** Path form: on the playground's origin, so the browser's cookies for it are the playground's. */
  form: 'path' | 'host';
  clientAddress: string | undefined;
  /** The URL prefix of a path-form preview, for apps that honour X-Forwarded-Prefix. */
  prefix: string;
  /** WebSocket (or other) upgrade: keep Connection and Upgrade. */
  upgrade: boolean;
}

/** Request headers for the instance: hop-by-hop removed, X-Forwarded-* set from the connection. */
export function requestHeadersFor(headers: IncomingHttpHeaders, context: ForwardContext): Record<string, string | string[]> {
  const forwarded = withoutHopByHop(headers, context.upgrade);
  // Whatever the client claims, these say what this proxy saw.
  for (const name of ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-prefix', 'forwarded']) delete forwarded[name];
  // The playground's cookies are none of the app's business (the host form's cookies are its own).
  if (context.form === 'path') delete forwarded.cookie;
  if (context.clientAddress) forwarded['x-forwarded-for'] = context.clientAddress;
  if (headers.host) forwarded['x-forwarded-host'] = headers.host;
  forwarded['x-forwarded-proto'] = 'http';
  if (context.prefix) forwarded['x-forwarded-prefix'] = context.prefix;
  return forwarded;
}

/** Response headers for the browser: hop-by-hop removed; path form sandboxed and kept under its prefix. */
export function responseHeadersFor(headers: IncomingHttpHeaders, form: 'path' | 'host', prefix: string): OutgoingHttpHeaders {
  const out: Record<string, string | string[]> = withoutHopByHop(headers, false);
  for (const name of PREVIEW_MAY_NOT_SEND[form]) delete out[name];
  if (form === 'path') {
    // Several CSP headers are all enforced: the app's own policy stays, the sandbox is added.
    const csp = out['content-security-policy'];
    const policies: string[] = csp === undefined ? [] : Array.isArray(csp) ? csp.map(String) : [String(csp)];
    out['content-security-policy'] = [...policies, PATH_FORM_CSP];
    // A redirect to "/login" means the app's own root, which lives under the prefix here.
    const location = out.location;
    if (typeof location === 'string' && location.startsWith('/') && !location.startsWith('//')) out.location = `${prefix}${location}`;
  }
  return out;
}

/**
 * The head of an upgrade's answer (status line and headers, without the blank line), as the app
 * sent it, minus what a preview may not send: the proxy pipes upgraded connections byte for byte,
 * so this is the one place their headers can be filtered.
 */
export function upgradeResponseHead(head: string, form: 'path' | 'host'): string {
  const refused = new Set(PREVIEW_MAY_NOT_SEND[form]);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const kept = lines.filter((line) => !refused.has(line.slice(0, line.indexOf(':')).trim().toLowerCase()));
  return [statusLine, ...kept].join('\r\n');
}
