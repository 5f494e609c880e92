import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';

// Passing a request on to the node that holds its session, unchanged but for the hop-by-hop headers
// and X-Forwarded-For (the node counts per-client limits by it when the front is in its
// TRUSTED_PROXIES). Bodies stream both ways; a terminal's upgrade is joined byte for byte.

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade'];
const CONNECT_TIMEOUT_MS = 5_000;

/** The node could not be reached (refused, timed out): the caller answers in words. */
export class NodeUnreachableError extends Error {}

function forwardedFor(headers: IncomingHttpHeaders, peer: string | undefined): string | undefined {
  const earlier = headers['x-forwarded-for'];
  const chain = [Array.isArray(earlier) ? earlier.join(', ') : earlier, peer].filter(Boolean);
  return chain.length > 0 ? chain.join(', ') : undefined;
}

function requestHeaders(request: IncomingMessage, keepUpgrade: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (!keepUpgrade && HOP_BY_HOP.includes(name)) continue;
    out[name] = value;
  }
  const xff = forwardedFor(request.headers, request.socket.remoteAddress);
  if (xff) out['x-forwarded-for'] = xff;
  return out;
}

/**
 * Sends the request to the node and streams the node's answer back. `body`, when given, is sent in
 * place of the request's own (already read, to choose the node). Rejects with NodeUnreachableError
 * before anything was answered; a failure after that cuts the answer off.
 */
export function forwardHttp(
  request: IncomingMessage,
  response: ServerResponse,
  nodeUrl: string,
  body?: Buffer,
  onStatus?: (status: number) => void,
): Promise<void> {
  const node = new URL(nodeUrl);
  return new Promise((resolve, reject) => {
    const headers = requestHeaders(request, false);
    if (body) {
      delete headers['content-length'];
      headers['content-length'] = String(body.length);
    }
    const upstream = httpRequest({ host: node.hostname, port: node.port, method: request.method, path: request.url, headers, timeout: CONNECT_TIMEOUT_MS });
    let answered = false;
    upstream.on('response', (answer) => {
      answered = true;
      upstream.setTimeout(0);
      onStatus?.(answer.statusCode ?? 502);
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.includes(name)) out[name] = value;
      response.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(response);
      answer.on('end', () => resolve());
      answer.on('error', () => response.destroy());
    });
    upstream.on('timeout', () => upstream.destroy(new Error('timed out')));
    upstream.on('error', (error) => {
      if (answered) response.destroy();
      else reject(new NodeUnreachableError(error.message));
    });
    response.on('close', () => {
      if (!response.writableFinished) upstream.destroy();
    });
    if (body) upstream.end(body);
    else request.pipe(upstream);
  });
}

/** Asks the node and reads its whole (small, JSON) answer, for the front's own use of it. */
export function askNode(request: IncomingMessage, nodeUrl: string, body: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const node = new URL(nodeUrl);
  return new Promise((resolve, reject) => {
    const headers = requestHeaders(request, false);
    headers['content-length'] = String(body.length);
    const upstream = httpRequest({ host: node.hostname, port: node.port, method: request.method, path: request.url, headers, timeout: CONNECT_TIMEOUT_MS });
    upstream.on('response', (answer) => {
      upstream.setTimeout(0);
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
      answer.on('error', reject);
    });
    upstream.on('timeout', () => upstream.destroy(new Error('timed out')));
    upstream.on('error', (error) => reject(new NodeUnreachableError(error.message)));
    upstream.end(body);
  });
}

/** Writes a whole answer read by askNode to the browser. */
export function relayAnswer(response: ServerResponse, answer: { status: number; headers: IncomingHttpHeaders; body: Buffer }): void {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.includes(name)) out[name] = value;
  out['content-length'] = String(answer.body.length);
  response.writeHead(answer.status, out);
  response.end(answer.body);
}

/**
 * Joins an upgrade (a terminal or a preview's WebSocket) to the node: the request head is written
 * again, then bytes flow both ways untouched; the node does the handshake. Rejects with
 * NodeUnreachableError when the node cannot be reached (nothing was sent to the browser yet).
 */
export function forwardUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, nodeUrl: string): Promise<void> {
  const node = new URL(nodeUrl);
  return new Promise((resolve, reject) => {
    const upstream = connect({ host: node.hostname, port: Number(node.port) || 80, timeout: CONNECT_TIMEOUT_MS });
    let joined = false;
    upstream.once('connect', () => {
      joined = true;
      upstream.setTimeout(0);
      const lines = [`${request.method} ${request.url} HTTP/1.1`];
      for (const [name, value] of Object.entries(requestHeaders(request, true))) {
        for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
      resolve();
    });
    upstream.on('timeout', () => upstream.destroy(new Error('timed out')));
    upstream.on('error', (error) => {
      if (joined) socket.destroy();
      else reject(new NodeUnreachableError(error.message));
    });
    upstream.on('close', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.on('close', () => upstream.destroy());
  });
}
