import type { WebSocket } from 'ws';
import {
  encodeServerMessage,
  parseClientMessage,
  ProtocolError,
  type ServerMessage,
} from '../protocol/terminal-protocol';
import type { TerminalMeter } from '../metrics/terminal-meter';
import type { Terminal, TerminalClient } from './terminal';

/** What the bridge reports, and when its socket was accepted (performance.now()), for time to prompt. */
export interface SocketMetering {
  meter?: TerminalMeter;
  acceptedAt?: number;
  /**
   * A watcher (a trainer): sees the output, types nothing and resizes nothing. A function is asked
   * at each frame: the learner may share typing and take it back while the socket is open.
   */
  readOnly?: boolean | (() => boolean);
}

/**
 * Bridges one WebSocket to a Terminal: decodes the client's frames, answers malformed ones with an
 * 'error' message (the connection stays open; the Terminal closes it for a forged ack), and detaches
 * on close. Either end closing disposes this side's share: the socket closing detaches; the
 * terminal ending closes the socket.
 */
export function bridgeSocketToTerminal(socket: WebSocket, terminal: Terminal, { meter, acceptedAt = performance.now(), readOnly = false }: SocketMetering = {}): void {
  const watching = typeof readOnly === 'function' ? readOnly : () => readOnly;
  let prompted = false;
  const client: TerminalClient = {
    sendOutput: (data) => {
      if (socket.readyState !== socket.OPEN) return;
      socket.send(data, { binary: true });
      // Counted here, per socket: the bytes that really go out, a replayed prompt included.
      meter?.bytesOut(data.length);
      if (!prompted && data.length > 0) {
        prompted = true;
        meter?.timeToPrompt((performance.now() - acceptedAt) / 1000);
      }
    },
    sendMessage: (message: ServerMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(encodeServerMessage(message));
    },
    close: (code, reason) => {
      if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason);
    },
    pauseInput: () => socket.pause(),
    resumeInput: () => socket.resume(),
    // Bytes ws has not yet handed to the network: a client that stops reading cannot hide them.
    bufferedBytes: () => socket.bufferedAmount,
  };

  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      client.sendMessage({
        type: 'error',
        code: 'malformed_message',
        message: 'Binary frames are not accepted; send JSON text frames.',
      });
      return;
    }
    try {
      const message = parseClientMessage(data.toString());
      switch (message.type) {
        case 'input':
          if (watching()) break; // a watcher's keys never reach the learner's shell (unless shared)
          meter?.bytesIn(Buffer.byteLength(message.data));
          terminal.input(client, message.data);
          break;
        case 'resize':
          if (typeof readOnly === 'function' || readOnly) break; // a watcher's window never resizes the learner's terminal
          terminal.resize(client, message.cols, message.rows);
          break;
        case 'ack':
          terminal.ack(client, message.bytes);
          break;
      }
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      client.sendMessage({ type: 'error', code: error.code, message: error.message });
    }
  });
  socket.on('close', () => terminal.detach(client));
  socket.on('error', () => terminal.detach(client));
  terminal.attach(client);
}
