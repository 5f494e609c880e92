import type { IncomingMessage } from 'node:http';

/**
 * Whether a request may act on the API: browsers send an Origin header with WebSocket upgrades and
 * with cross-site POST/PUT/DELETE, so a foreign page (or a port preview, which runs on another
 * origin or an opaque one) is refused, while the playground's own pages and non-browser clients
 * (curl, scripts, tests: no Origin) pass. `allowedOrigins` adds origins such as a separate front end.
 */
export function isAllowedOrigin(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  let originHost: string;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    originHost = url.host.toLowerCase();
  } catch {
    return false; // "null" (sandboxed frames, file: pages) and garbage
  }
  const host = request.headers.host?.toLowerCase();
  return host !== undefined && originHost === host;
}

/** Methods that change state; reads are left to the browser's same-origin policy. */
export function changesState(method: string | undefined): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}
