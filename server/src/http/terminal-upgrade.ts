import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { InstanceNotRunningError, PlaygroundError } from '../errors';
import type { Logger } from '../log';
import type { TerminalMeter } from '../metrics/terminal-meter';
import { CloseCode, MAX_CLIENT_FRAME_BYTES, MAX_TERMINALS_PER_INSTANCE } from '../protocol/terminal-protocol';
import type { EventService } from '../events/event-service';
import type { SessionService } from '../sessions/session-service';
import { bridgeSocketToTerminal } from '../terminal/socket-client';
import type { TerminalRegistry } from '../terminal/terminal-registry';

const TERMINAL_PATH = /^\/api\/sessions\/([^/]+)\/instances\/([^/]+)\/terminal$/;
/** A trainer watching a learner's first terminal on node1, read-only: by the class's key and the learner's place. */
const WATCH_PATH = /^\/api\/trainer\/([^/]+)\/learners\/(\d{1,3})\/terminal$/;
const PING_INTERVAL_MS = 30_000;
const MAX_EARLY_BYTES = 1024 * 1024;

function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

/** ?n= of a terminal URL: which of the instance's shells (1 when absent); undefined when invalid. */
export function terminalNumber(text: string | null): number | undefined {
  if (text === null) return 1;
  if (!/^\d{1,2}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= MAX_TERMINALS_PER_INSTANCE ? n : undefined;
}

export interface TerminalUpgradeContext {
  sessions: SessionService;
  terminals: TerminalRegistry;
  logger: Logger;
  /** Terminal bytes and time to prompt (METRICS); undefined when metrics are off. */
  metrics?: TerminalMeter;
  /** Classes: whose terminal a trainer's key may watch. */
  events: EventService;
}

/** A socket that watches rather than types: a trainer's, with its learner's session. */
interface Watch {
  key: string;
  learner: number;
}

/**
 * Handles WebSocket upgrades to terminals. The upgrade is accepted first and refused with a close
 * code (4404, 4503) rather than an HTTP status, because browsers hide the status of a failed
 * upgrade but show the close code and reason.
 */
export function createTerminalUpgradeHandler(context: TerminalUpgradeContext) {
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES });
  const alive = new WeakSet<WebSocket>();

  // Sockets whose peer vanished without a close (a sleeping laptop) are found by ping and dropped.
  const pinger = setInterval(() => {
    for (const socket of server.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, PING_INTERVAL_MS);
  pinger.unref();

  async function connect(socket: WebSocket, target: string | Watch, name: string, n: number | undefined): Promise<void> {
    // Time to prompt counts from here: the socket is accepted, the shell may still have to start.
    const acceptedAt = performance.now();
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
    // Frames that arrive while the shell is being opened (typing right after the page loads) are
    // held and handed to the bridge, never dropped. Bounded, so a client cannot flood the wait.
    const early: Array<{ data: RawData; isBinary: boolean }> = [];
    let earlyBytes = 0;
    const holdEarly = (data: RawData, isBinary: boolean) => {
      earlyBytes += rawLength(data);
      if (earlyBytes > MAX_EARLY_BYTES) socket.close(1008, 'too much input before the shell started');
      else early.push({ data, isBinary });
    };
    socket.on('message', holdEarly);
    if (n === undefined) {
      socket.close(CloseCode.badRequest, `terminal number must be 1 to ${MAX_TERMINALS_PER_INSTANCE}`);
      return;
    }
    let id = typeof target === 'string' ? target : '';
    try {
      if (typeof target !== 'string') id = context.events.learnerSession(target.key, target.learner);
      const { session, instance } = context.sessions.instance(id, name);
      // A restarting sandbox cannot run a shell yet: wait (the restart itself is bounded by the engine).
      if (instance.restarting) await instance.restarting.catch(() => {});
      const terminal = await context.terminals.open(session.key, instance.name, instance.containerId, n);
      socket.off('message', holdEarly);
      if (socket.readyState !== socket.OPEN) return;
      const watched = id;
      // A trainer watches read-only unless the learner shares typing (asked at each frame).
      const readOnly = typeof target === 'string' ? false : () => !context.events.isSharing(watched);
      bridgeSocketToTerminal(socket, terminal, { meter: context.metrics, acceptedAt, readOnly });
      if (typeof target !== 'string') {
        context.events.watching(watched, 1);
        socket.once('close', () => context.events.watching(watched, -1));
      }
      for (const frame of early) socket.emit('message', frame.data, frame.isBinary);
    } catch (error) {
      if (error instanceof InstanceNotRunningError) {
        // Removed or stopped from outside the playground: say so in the instance's state.
        try {
          context.sessions.markStopped(context.sessions.get(id).key, name);
        } catch {
          // The session ended meanwhile; nothing to mark.
        }
      }
      if (error instanceof PlaygroundError && error.close) {
        socket.close(error.close.code, error.close.reason);
      } else {
        context.logger.error('terminal attach failed', { instance: name, error: (error as Error).message });
        socket.close(1011, 'could not open a shell');
      }
    }
  }

  return {
    /** Returns false when the path is not a terminal's (the caller then refuses the upgrade). */
    handle(request: IncomingMessage, socket: Duplex, head: Buffer, pathname: string): boolean {
      const watch = WATCH_PATH.exec(pathname);
      if (watch) {
        let key: string;
        try {
          key = decodeURIComponent(watch[1]!);
        } catch {
          return false;
        }
        server.handleUpgrade(request, socket, head, (ws) => {
          void connect(ws, { key, learner: Number(watch[2]) }, 'node1', 1);
        });
        return true;
      }
      const match = TERMINAL_PATH.exec(pathname);
      if (!match) return false;
      let id: string;
      let name: string;
      try {
        id = decodeURIComponent(match[1]!);
        name = decodeURIComponent(match[2]!);
      } catch {
        return false;
      }
      const n = terminalNumber(new URL(request.url ?? '/', 'http://localhost').searchParams.get('n'));
      server.handleUpgrade(request, socket, head, (ws) => {
        void connect(ws, id, name, n);
      });
      return true;
    },
    /** Closes every socket (server shutdown). */
    close(): void {
      clearInterval(pinger);
      for (const socket of server.clients) socket.close(CloseCode.serverShutdown, 'server shutting down');
      server.close();
    },
  };
}
