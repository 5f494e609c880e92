import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../log';
import { handleApi, type ApiContext } from './api-routes';
import { errorResponse, isServerFault, RouteError, withRequestId } from './error-response';
import { isAllowedHost, misdirected, type HostAllowList } from './host-allow-list';
import { sendJson } from './json-body';
import { sendMetrics } from '../metrics/metrics-endpoint';
import type { PlaygroundMetrics } from '../metrics/playground-metrics';
import type { PreviewRouter } from '../proxy/preview-router';
import { changesState, isAllowedOrigin } from './origin-check';
import { requestIdOf } from './request-id';
import { setSecurityHeaders } from './security-headers';
import type { ErrorBody } from '../protocol/api-types';
import { serveStatic } from './static-files';
import { createTerminalUpgradeHandler, type TerminalUpgradeContext } from './terminal-upgrade';

export interface HttpServerContext extends ApiContext, TerminalUpgradeContext {
  staticDir: string;
  /** Browser origins besides the server's own that may change state or open terminals. */
  allowedOrigins: string[];
  /** Port previews (/p/... and {instance}-{port}-{key}.PUBLIC_HOST), served before anything else. */
  previews: PreviewRouter;
  /** Host names the playground is served under; any other Host gets 421 (DNS rebinding). */
  hosts: HostAllowList;
  logger: Logger;
  /** GET /metrics and the counters of error answers; undefined with METRICS=off (then /metrics is 404). */
  metrics?: PlaygroundMetrics;
}

export interface PlaygroundHttpServer {
  server: Server;
  /** Stops accepting, closes terminal sockets. */
  close(): Promise<void>;
}

const FORBIDDEN_ORIGIN: ErrorBody = {
  error: { code: 'forbidden_origin', message: 'This page may not use the playground API: its origin is not the playground’s.' },
};

/** Routes /api/* to the API, terminal upgrades to terminals, and everything else to the client. */
export function createHttpServer(context: HttpServerContext): PlaygroundHttpServer {
  const terminals = createTerminalUpgradeHandler(context);

  const server = createServer((request, response) => {
    // Every answer names its request, so an error a person reports can be found in the log.
    const requestId = requestIdOf(request.headers['x-request-id']);
    response.setHeader('x-request-id', requestId);
    // Before anything else, previews included: a rebound name must not reach sessions or instances.
    if (!isAllowedHost(request.headers.host, context.hosts)) {
      setSecurityHeaders(response);
      sendJson(response, 421, withRequestId(misdirected(request.headers.host), requestId));
      return;
    }
    // A preview keeps the app's own headers (with a sandbox CSP on the path form), not ours.
    if (context.previews.handleRequest(request, response)) return;
    setSecurityHeaders(response);
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const isApi = pathname.startsWith('/api/');
    if (isApi && changesState(request.method) && !isAllowedOrigin(request, context.allowedOrigins)) {
      sendJson(response, 403, withRequestId(FORBIDDEN_ORIGIN, requestId));
      return;
    }
    let handled: Promise<void>;
    if (isApi) handled = handleApi(context, request, response, pathname);
    else if (pathname === '/metrics' && context.metrics) handled = serveMetrics(context.metrics, request.method, response);
    else {
      handled = serveStatic(request, response, pathname, context.staticDir).then((served) => {
        if (!served) {
          response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
          response.end('Not found\n');
        }
      });
    }
    handled.catch((error: unknown) => {
      const answer = errorResponse(error);
      const { status, body, headers } = answer;
      context.metrics?.errorAnswered(body.error.code, isServerFault(answer));
      if (isServerFault(answer)) {
        context.logger.error('request failed', {
          requestId,
          method: request.method,
          path: pathname.replace(/\/api\/sessions\/[^/]+/, '/api/sessions/…'),
          status,
          error: (error as Error).message,
        });
      }
      if (response.headersSent) response.destroy();
      else sendJson(response, status, withRequestId(body, requestId), headers);
    });
  });

  server.on('upgrade', (request, socket, head) => {
    if (!isAllowedHost(request.headers.host, context.hosts)) {
      const requestId = requestIdOf(request.headers['x-request-id']);
      const body = JSON.stringify(withRequestId(misdirected(request.headers.host), requestId));
      socket.end(
        `HTTP/1.1 421 Misdirected Request\r\nContent-Type: application/json; charset=utf-8\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    if (context.previews.handleUpgrade(request, socket, head)) return;
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    // A terminal is a root shell: only the playground's own pages may open one from a browser.
    if (pathname.startsWith('/api/') && !isAllowedOrigin(request, context.allowedOrigins)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (!terminals.handle(request, socket, head, pathname)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  });

  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        terminals.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** GET (or HEAD) /metrics; another method is a 405 like the API's. */
async function serveMetrics(metrics: PlaygroundMetrics, method: string | undefined, response: ServerResponse): Promise<void> {
  if (method !== 'GET' && method !== 'HEAD') throw new RouteError(405, 'method_not_allowed', `${method} is not allowed here.`);
  await sendMetrics(metrics, response);
}
