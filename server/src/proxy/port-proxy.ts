import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { PreviewTarget } from './preview-address';
import { requestHeadersFor, responseHeadersFor, upgradeResponseHead } from './proxy-headers';

/** The instance's address and the preview asked for. The address never comes from the request. */
export interface ResolvedPreview {
  target: PreviewTarget;
  ip: string;
}

/** An app that sends nothing for this long is cut off (long polls and streams keep sending). */
const UPSTREAM_IDLE_MS = 120_000;
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * An upgraded connection (a WebSocket) with no traffic either way for this long is closed: a
 * forgotten tab must not hold a socket on the server and in the instance forever. Apps that keep
 * a socket open send pings far more often than this.
 */
export const PREVIEW_SOCKET_IDLE_MS = 10 * 60_000;
/** The app's answer to an upgrade must have its head within this many bytes. */
const MAX_UPGRADE_HEAD_BYTES = 64 * 1024;

function nothingListening(preview: ResolvedPreview): string {
  return `Nothing is listening on port ${preview.target.port} in ${preview.target.instance} (yet).\n`;
}

/**
 * The same words as a page a person can act on: Retry (the same address again) and, for the path
 * form (on the playground's own origin), a way back to the playground. Only a checked port and
 * instance name go into it; no script, and a policy that allows none.
 */
function nothingListeningPage(preview: ResolvedPreview): string {
  const back = preview.target.form === 'path' ? '<a href="/">Back to the playground</a>' : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Nothing on port ${preview.target.port}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f6f8fb;color:#1b2330}main{max-width:32rem;padding:2rem}p{color:#4d5868}a{display:inline-block;margin-right:1rem;padding:.45rem 1rem;border-radius:8px;border:1px solid #9aa6b8;color:#1b2330;text-decoration:none;font-weight:600}a:first-of-type{background:#1858d4;border-color:#1858d4;color:#fff}</style></head>
<body><main><h1>${escapeHtml(nothingListening(preview).trim())}</h1><p>Start a server on port ${preview.target.port} in ${escapeHtml(preview.target.instance)} (for example <code>docker run -d -p ${preview.target.port}:80 nginx</code>), then retry.</p>
<p><a href="">Retry</a>${back}</p></main></body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function sendPlain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  response.end(text);
}

/** Forwards one HTTP request to the instance and streams the answer back, both ways unbuffered. */
export function proxyHttp(request: IncomingMessage, response: ServerResponse, preview: ResolvedPreview): void {
  const { target, ip } = preview;
  const upstream = httpRequest({
    host: ip,
    port: target.port,
    method: request.method,
    path: target.upstreamPath,
    headers: requestHeadersFor(request.headers, { form: target.form, clientAddress: request.socket.remoteAddress, prefix: target.prefix, upgrade: false }),
    timeout: CONNECT_TIMEOUT_MS,
  });
  upstream.on('socket', (socket) => socket.once('connect', () => upstream.setTimeout(UPSTREAM_IDLE_MS)));
  upstream.on('response', (answer) => {
    response.writeHead(answer.statusCode ?? 502, responseHeadersFor(answer.headers, target.form, target.prefix));
    answer.pipe(response);
    answer.on('error', () => response.destroy());
  });
  upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
  upstream.on('error', (error: NodeJS.ErrnoException) => {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (error.code === 'ECONNREFUSED' && /text\/html/.test(request.headers.accept ?? '')) {
      response.writeHead(502, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
      response.end(nothingListeningPage(preview));
    } else if (error.code === 'ECONNREFUSED') sendPlain(response, 502, nothingListening(preview));
    else sendPlain(response, 504, `Port ${target.port} in ${target.instance} did not answer (${error.code ?? error.message}).\n`);
  });
  request.pipe(upstream);
  request.on('error', () => upstream.destroy());
  response.on('close', () => {
    if (!response.writableFinished) upstream.destroy();
  });
}

/**
 * Forwards an upgrade (a WebSocket) to the instance and pipes the two connections together. The
 * app's answer head passes through upgradeResponseHead (no cookies set on the playground's origin);
 * after it, bytes flow unchanged until either side closes or `idleMs` pass with no traffic.
 */
export function proxyUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, preview: ResolvedPreview, idleMs = PREVIEW_SOCKET_IDLE_MS): void {
  const { target, ip } = preview;
  const upstream = connect({ host: ip, port: target.port, timeout: CONNECT_TIMEOUT_MS });
  const headers = requestHeadersFor(request.headers, { form: target.form, clientAddress: request.socket.remoteAddress, prefix: target.prefix, upgrade: true });
  let connected = false;
  upstream.once('connect', () => {
    connected = true;
    // Everything either side sends is read or written by this socket: its timer sees both ways.
    upstream.setTimeout(idleMs);
    const lines = [`${request.method} ${target.upstreamPath} HTTP/1.1`];
    for (const [name, value] of Object.entries(headers)) {
      for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
    }
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    socket.pipe(upstream);
    relayAnswer(upstream, socket, target.form);
  });
  const refuse = (status: string, text: string) => {
    if (!socket.writable) return;
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  };
  upstream.on('timeout', () => {
    if (connected) {
      upstream.destroy();
      socket.destroy();
    } else {
      upstream.destroy(new Error('timeout'));
    }
  });
  upstream.on('error', (error: NodeJS.ErrnoException) => {
    // Once connected, the client may be mid-WebSocket: no HTTP answer can be written any more.
    if (!connected && error.code === 'ECONNREFUSED') refuse('502 Bad Gateway', nothingListening(preview));
    else if (!connected) refuse('504 Gateway Timeout', `Port ${target.port} in ${target.instance} did not answer.\n`);
    socket.destroy();
  });
  upstream.on('close', () => socket.destroy());
  socket.on('error', () => upstream.destroy());
  socket.on('close', () => upstream.destroy());
}

/** Reads the app's answer head, filters it, then pipes everything after it unchanged. */
function relayAnswer(upstream: Socket, socket: Duplex, form: PreviewTarget['form']): void {
  let buffered = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end === -1) {
      if (buffered.length > MAX_UPGRADE_HEAD_BYTES) upstream.destroy();
      return;
    }
    upstream.off('data', onData);
    // latin1 keeps every byte of the head as it was.
    socket.write(`${upgradeResponseHead(buffered.subarray(0, end).toString('latin1'), form)}\r\n\r\n`, 'latin1');
    const rest = buffered.subarray(end + 4);
    if (rest.length > 0) socket.write(rest);
    upstream.pipe(socket);
  };
  upstream.on('data', onData);
}
