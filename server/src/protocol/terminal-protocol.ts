// The terminal WebSocket protocol, shared by server and client. Pure: no Node, no DOM.
// Documented for people in docs/protocol.md; keep the two in step.
//
// Server -> client
//   binary frame: terminal output, raw bytes (UTF-8 from the shell; may split a character).
//   text frame:   JSON ServerMessage.
// Client -> server
//   text frame:   JSON ClientMessage. Binary frames are refused with an 'error' message.

export type ClientMessage =
  /** Keystrokes or pasted text, as the terminal produced them. */
  | { type: 'input'; data: string }
  /** The terminal's size in character cells. */
  | { type: 'resize'; cols: number; rows: number }
  /** The client has processed (rendered) this many more output bytes. */
  | { type: 'ack'; bytes: number };

export type ServerMessage =
  /** Sent once per connection, before any output. replayBytes of recent output follow at once. */
  | { type: 'attached'; instance: string; replayBytes: number }
  /** The shell process ended. The server closes the socket after this. */
  | { type: 'exit'; exitCode: number | null }
  /**
   * A frame from the client could not be used. The connection stays open, except after
   * protocol_violation (an ack for more output than was sent), which closes it with 1008.
   */
  | { type: 'error'; code: ErrorCode; message: string };

/**
 * malformed_message, input_too_large: the frame was refused. input_dropped: the shell is not taking
 * input and too much is already waiting, so this input was dropped. protocol_violation: see above.
 */
export type ErrorCode = 'malformed_message' | 'input_too_large' | 'input_dropped' | 'protocol_violation';

/** WebSocket close codes the server uses (4000-4999 is the application range). */
/** Shells one instance may have open at once (terminal tabs, `?n=1` to this): the client's limit too. */
export const MAX_TERMINALS_PER_INSTANCE = 5;

export const CloseCode = {
  /** The shell exited (or its tab was closed: DELETE .../terminals/{n}). */
  shellExited: 4000,
  /** The session or instance does not exist (never existed, or already removed). */
  notFound: 4404,
  /** The client stopped acknowledging output for too long; it may reconnect. */
  slowConsumer: 4408,
  /** The terminal URL is malformed (e.g. ?n= out of range). */
  badRequest: 4400,
  /** The session ended (expired or closed) while connected. */
  sessionEnded: 4410,
  /** The instance was deleted while connected (the session goes on). */
  instanceRemoved: 4411,
  /** The instance is restarting: reconnect (with backoff) until its shell answers again. */
  instanceRestarting: 4412,
  /** The terminal already has its maximum number of sockets attached. */
  tooManySockets: 4429,
  /** The client broke the protocol (acknowledged more output than it was sent); a client bug. */
  protocolViolation: 1008,
  /** The Docker engine is not available. */
  engineUnavailable: 4503,
  /** The server is shutting down. */
  serverShutdown: 1001,
} as const;

/** Largest input a single 'input' message may carry; clients split larger pastes. */
export const MAX_INPUT_CHARS = 64 * 1024;
/** Largest accepted frame from a client, in bytes (the socket is closed with 1009 above this). */
export const MAX_CLIENT_FRAME_BYTES = 256 * 1024;
export const MAX_TERMINAL_COLS = 1000;
export const MAX_TERMINAL_ROWS = 500;

export class ProtocolError extends Error {
  constructor(readonly code: 'malformed_message' | 'input_too_large', message: string) {
    super(message);
  }
}

function isCount(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max;
}

/** Parses one text frame from a client. Throws ProtocolError with a message a person can act on. */
export function parseClientMessage(text: string): ClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProtocolError('malformed_message', 'Frame is not JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError('malformed_message', 'Frame must be a JSON object with a "type".');
  }
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'input':
      if (typeof message.data !== 'string') {
        throw new ProtocolError('malformed_message', '"input" needs a string "data".');
      }
      if (message.data.length > MAX_INPUT_CHARS) {
        throw new ProtocolError(
          'input_too_large',
          `"input" carries at most ${MAX_INPUT_CHARS} characters; split larger pastes.`,
        );
      }
      return { type: 'input', data: message.data };
    case 'resize':
      if (!isCount(message.cols, MAX_TERMINAL_COLS) || !isCount(message.rows, MAX_TERMINAL_ROWS)) {
        throw new ProtocolError(
          'malformed_message',
          `"resize" needs whole numbers cols (1-${MAX_TERMINAL_COLS}) and rows (1-${MAX_TERMINAL_ROWS}).`,
        );
      }
      return { type: 'resize', cols: message.cols, rows: message.rows };
    case 'ack':
      if (typeof message.bytes !== 'number' || !Number.isInteger(message.bytes) || message.bytes < 0) {
        throw new ProtocolError('malformed_message', '"ack" needs a whole number "bytes" >= 0.');
      }
      return { type: 'ack', bytes: message.bytes };
    default:
      throw new ProtocolError('malformed_message', 'Unknown "type"; expected input, resize or ack.');
  }
}

export function encodeServerMessage(message: ServerMessage): string {
  return JSON.stringify(message);
}

/** Parses a text frame from the server; returns null for anything unrecognised (newer servers may add types). */
export function parseServerMessage(text: string): ServerMessage | null {
  try {
    const value = JSON.parse(text) as { type?: unknown };
    if (value && (value.type === 'attached' || value.type === 'exit' || value.type === 'error')) {
      return value as ServerMessage;
    }
  } catch {
    // fall through
  }
  return null;
}

export function encodeClientMessage(message: ClientMessage): string {
  return JSON.stringify(message);
}
