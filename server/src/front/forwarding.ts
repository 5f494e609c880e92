import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

// Passing a request on to the node that holds its session, unchanged but for the hop-by-hop headers
// and X-Forwarded-For (the node counts per-client limits by it when the front is in its
// TRUSTED_PROXIES). Bodies stream both ways; a terminal's upgrade is joined byte for byte.

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade'];
/** Only connecting is timed: a new session's answer may take a minute on a cold node, a download longer. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The node could not be reached. `beforeSent`: the connection never opened, so the node got
 * nothing and the request may go elsewhere; otherwise it may have acted on it.
 */
export class NodeConnectionError extends Error {
  constructor(
    message: string,
    readonly beforeSent: boolean,
  ) {
    super(message);
  }
}

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

function responseHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.includes(name)) out[name] = value;
  return out;
}

/** A call the front makes of its own on a browser's behalf: another method and path, the browser's headers. */
export interface OwnCall {
  method: string;
  path: string;
}

/** Starts a request to the node; `connected()` says whether its connection ever opened. */
function requestToNode(request: IncomingMessage, nodeUrl: string, headers: Record<string, string | string[]>, call?: OwnCall): { upstream: ClientRequest; connected: () => boolean } {
  const node = new URL(nodeUrl);
  const upstream = httpRequest({ host: node.hostname, port: node.port || 80, method: call?.method ?? request.method, path: call?.path ?? request.url, headers });
  let connected = false;
  upstream.on('socket', (socket: Socket) => {
    if (!socket.connecting) {
      connected = true;
      return;
    }
    const timer = setTimeout(() => upstream.destroy(new Error(`no connection within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      connected = true;
      clearTimeout(timer);
    });
    socket.once('close', () => clearTimeout(timer));
  });
  return { upstream, connected: () => connected };
}

/**
 * Sends the request to the node and streams the node's answer back. Rejects with
 * NodeConnectionError before anything was answered; a failure after that cuts the answer off.
 * `onStatus` sees the node's status first (the locator forgets a session its node no longer has).
 */
export function forwardHttp(request: IncomingMessage, response: ServerResponse, nodeUrl: string, onStatus?: (status: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const { upstream, connected } = requestToNode(request, nodeUrl, requestHeaders(request, false));
    let answered = false;
    upstream.on('response', (answer) => {
      answered = true;
      onStatus?.(answer.statusCode ?? 502);
      response.writeHead(answer.statusCode ?? 502, responseHeaders(answer.headers));
      answer.pipe(response);
      answer.on('end', () => resolve());
      answer.on('error', () => response.destroy());
    });
    upstream.on('error', (error) => {
      if (answered) response.destroy();
      else reject(new NodeConnectionError(error.message, !connected()));
    });
    response.on('close', () => {
      if (!response.writableFinished) upstream.destroy();
    });
    request.pipe(upstream);
  });
}

export interface NodeAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Asks the node with `body` and reads its whole (small, JSON) answer, for the front's own use of it;
 * `call` makes it another request than the browser's (with the browser's headers: its client counts).
 */
export function askNode(request: IncomingMessage, nodeUrl: string, body: Buffer, call?: OwnCall): Promise<NodeAnswer> {
  return new Promise((resolve, reject) => {
    const headers = requestHeaders(request, false);
    headers['content-length'] = String(body.length);
    if (call && body.length > 0) headers['content-type'] = 'application/json';
    const { upstream, connected } = requestToNode(request, nodeUrl, headers, call);
    upstream.on('response', (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
      answer.on('error', (error) => reject(new NodeConnectionError(error.message, false)));
    });
    upstream.on('error', (error) => reject(new NodeConnectionError(error.message, !connected())));
    upstream.end(body);
  });
}

/** Writes a whole answer read by askNode to the browser. */
export function relayAnswer(response: ServerResponse, answer: NodeAnswer): void {
  const out = responseHeaders(answer.headers);
  out['content-length'] = String(answer.body.length);
  response.writeHead(answer.status, out);
  response.end(answer.body);
}

/**
 * Joins an upgrade (a terminal or a preview's WebSocket) to the node: the request head is written
 * again, then bytes flow both ways untouched; the node does the handshake. Rejects with
 * NodeConnectionError when the node cannot be reached (nothing was sent to the browser yet).
 */
export function forwardUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, nodeUrl: string): Promise<void> {
  const node = new URL(nodeUrl);
  return new Promise((resolve, reject) => {
    const upstream = connect({ host: node.hostname, port: Number(node.port) || 80 });
    const timer = setTimeout(() => upstream.destroy(new Error(`no connection within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
    let joined = false;
    upstream.once('connect', () => {
      clearTimeout(timer);
      joined = true;
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
    upstream.on('error', (error) => {
      clearTimeout(timer);
      if (joined) socket.destroy();
      else reject(new NodeConnectionError(error.message, true));
    });
    upstream.on('close', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.on('close', () => upstream.destroy());
  });
}
