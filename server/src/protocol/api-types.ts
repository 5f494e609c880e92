// Shapes of the HTTP API's JSON bodies. Pure types: imported by the server and the client.

export type InstanceState = 'starting' | 'running' | 'stopped';

export interface InstanceInfo {
  /** Stable name inside the session: node1, node2, ... */
  name: string;
  /** The hostname the shell shows (equal to name). */
  hostname: string;
  /** The instance's address on the session's private network; '' while unknown. */
  ip: string;
  state: InstanceState;
}

export interface SessionInfo {
  /** The capability: whoever has it controls the session. URL-safe, 128 random bits. */
  id: string;
  /** ISO 8601 time at which the session and everything it made is removed. */
  expiresAt: string;
  instances: InstanceInfo[];
}

export interface ExecRequest {
  cmd: string[];
  /** Default 60 000, at most 600 000. */
  timeoutMs?: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** True when the command was killed because it ran past timeoutMs. */
  timedOut: boolean;
  /** True when stdout or stderr was cut at the output limit. */
  truncated: boolean;
}

export type ErrorCode =
  | 'not_found'
  | 'session_not_found'
  | 'instance_not_found'
  | 'bad_request'
  | 'payload_too_large'
  | 'method_not_allowed'
  | 'engine_unavailable'
  | 'instance_not_ready'
  | 'internal';

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export interface HealthBody {
  status: 'ok' | 'unavailable';
  reason?: string;
}
