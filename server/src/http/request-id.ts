import { randomUUID } from 'node:crypto';

/**
 * Accepted incoming ids: what proxies and tracing tools send (UUIDs, hex, dotted ids), short and
 * inert, so an id can go into a header, a JSON body and a log line without escaping or log forging.
 */
const WELL_FORMED = /^[A-Za-z0-9._-]{1,64}$/;

/** The request's id: a well-formed incoming x-request-id (a proxy's, to follow one request end to end), else a new one. */
export function requestIdOf(header: string | string[] | undefined, generate: () => string = randomUUID): string {
  // Repeated x-request-id headers arrive joined by ", " (not well formed): none is trusted over the others.
  return typeof header === 'string' && WELL_FORMED.test(header) ? header : generate();
}
