import { createServer, type Server } from 'node:http';
import type { Logger } from '../log';
import { handleApi, type ApiContext } from './api-routes';
import { errorResponse, isServerFault } from './error-response';
import { sendJson } from './json-body';
import { setSecurityHeaders } from './security-headers';
import { serveStatic } from './static-files';
import { createTerminalUpgradeHandler, type TerminalUpgradeContext } from './terminal-upgrade';

export interface HttpServerContext extends ApiContext, TerminalUpgradeContext {
  staticDir: string;
  logger: Logger;
}

export interface PlaygroundHttpServer {
  server: Server;
  /** Stops accepting, closes terminal sockets. */
  close(): Promise<void>;
}

/** Routes /api/* to the API, terminal upgrades to terminals, and everything else to the client. */
export function createHttpServer(context: HttpServerContext): PlaygroundHttpServer {
  const terminals = createTerminalUpgradeHandler(context);

  const server = createServer((request, response) => {
    setSecurityHeaders(response);
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const handled = pathname.startsWith('/api/')
      ? handleApi(context, request, response, pathname)
      : serveStatic(request, response, pathname, context.staticDir).then((served) => {
          if (!served) {
            response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
            response.end('Not found\n');
          }
        });
    handled.catch((error: unknown) => {
      const { status, body } = errorResponse(error);
      if (isServerFault(status)) {
        context.logger.error('request failed', {
          method: request.method,
          path: pathname.replace(/\/api\/sessions\/[^/]+/, '/api/sessions/…'),
          status,
          error: (error as Error).message,
        });
      }
      if (response.headersSent) response.destroy();
      else sendJson(response, status, body);
    });
  });

  server.on('upgrade', (request, socket, head) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
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
