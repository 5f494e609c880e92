import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ConcurrencyCap } from '../admission/concurrency-cap';
import { PlaygroundError } from '../errors';
import type { SessionService } from '../sessions/session-service';
import { parseHostForm, parsePathForm, type PreviewRoute } from './preview-address';
import { PREVIEW_SOCKET_IDLE_MS, proxyHttp, proxyUpgrade, sendPlain, type ResolvedPreview } from './port-proxy';

export interface PreviewLimits {
  /** Upgraded connections (WebSockets) open at once through one session's previews. */
  socketsPerSession: number;
  /** An upgraded connection with no traffic either way for this long is closed. */
  socketIdleMs: number;
}

/** Enough for a few apps with a few tabs each; each socket is a file descriptor here and in the instance. */
export const DEFAULT_PREVIEW_LIMITS: PreviewLimits = { socketsPerSession: 32, socketIdleMs: PREVIEW_SOCKET_IDLE_MS };

/**
 * Port previews, in front of everything else the server serves: a request whose Host is a preview
 * host, or whose path starts with /p/, goes to the instance named in it, at that instance's own
 * address. Anything else is left to the caller (returns false).
 */
export class PreviewRouter {
  private readonly sockets: ConcurrencyCap;

  constructor(
    private readonly sessions: SessionService,
    private readonly publicHost: string,
    private readonly limits: PreviewLimits = DEFAULT_PREVIEW_LIMITS,
  ) {
    this.sockets = new ConcurrencyCap(limits.socketsPerSession);
  }

  private route(request: IncomingMessage): PreviewRoute {
    const url = request.url ?? '/';
    const byHost = parseHostForm(request.headers.host, this.publicHost, url);
    return byHost.kind === 'none' ? parsePathForm(url) : byHost;
  }

  /** The instance's address for a target, or the words of a 404. */
  private resolve(route: PreviewRoute): ResolvedPreview | { status: number; message: string } {
    if (route.kind === 'bad') return { status: route.status, message: `${route.message}\n` };
    if (route.kind !== 'target') return { status: 404, message: 'No such preview.\n' };
    try {
      const session = this.sessions.getByKey(route.target.key);
      const instance = session.instances.get(route.target.instance);
      if (!instance?.ip) return { status: 404, message: `This session has no instance named ${route.target.instance}.\n` };
      return { target: route.target, ip: instance.ip };
    } catch (error) {
      if (error instanceof PlaygroundError) return { status: 404, message: 'No such preview: the session does not exist or has ended.\n' };
      throw error;
    }
  }

  handleRequest(request: IncomingMessage, response: ServerResponse): boolean {
    const route = this.route(request);
    if (route.kind === 'none') return false;
    if (route.kind === 'redirect') {
      response.writeHead(308, { location: route.location, 'cache-control': 'no-store' }).end();
      return true;
    }
    const resolved = this.resolve(route);
    if ('status' in resolved) sendPlain(response, resolved.status, resolved.message);
    else proxyHttp(request, response, resolved);
    return true;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const route = this.route(request);
    if (route.kind === 'none') return false;
    const resolved = route.kind === 'redirect' ? { status: 404, message: 'Add the trailing slash.\n' } : this.resolve(route);
    if ('status' in resolved) {
      refuseUpgrade(socket, `${resolved.status} ${resolved.status === 400 ? 'Bad Request' : 'Not Found'}`, resolved.message);
      return true;
    }
    const release = this.sockets.tryTake(resolved.target.key);
    if (!release) {
      refuseUpgrade(
        socket,
        '429 Too Many Requests',
        `This session already has ${this.limits.socketsPerSession} WebSockets open through its previews, the most allowed at once. Close some preview tabs and try again.\n`,
      );
      return true;
    }
    socket.once('close', release);
    proxyUpgrade(request, socket, head, resolved, this.limits.socketIdleMs);
    return true;
  }
}

function refuseUpgrade(socket: Duplex, status: string, message: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
}
