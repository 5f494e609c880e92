// Typed wrappers around the HTTP API, and the one request helper every client module uses (files,
// workshops too). Every non-2xx answer becomes an ApiError whose message is the server's own, written
// for a person; network failures and timeouts become ApiErrors too, so callers handle one kind of
// failure. URLs come from the shared apiPaths.
import { apiPaths } from '../../../server/src/protocol/api-paths';
import type { WaitingRoomStatus, ErrorBody, ErrorCode, HealthBody, InstanceInfo, InstanceStats, SavedSessionInfo, SessionInfo } from '../../../server/src/protocol/api-types';

export type ClientErrorCode = ErrorCode | 'network' | 'timeout' | 'unexpected_response';

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when no answer arrived. */
    readonly status: number,
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

/** Creating a session starts a sandbox, which can take a while on a cold host. */
const CREATE_TIMEOUT_MS = 120_000;
/** Saving copies every instance's disk: gigabytes of images may take minutes. */
const SAVE_TIMEOUT_MS = 600_000;
const DEFAULT_TIMEOUT_MS = 15_000;

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string' &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

/** The ApiError for a failed answer: the server's own code and words, or a generic sentence when the body is not ours. */
export function errorFromBody(status: number, body: unknown, statusText = ''): ApiError {
  if (isErrorBody(body)) return new ApiError(status, body.error.code, body.error.message);
  return new ApiError(status, 'unexpected_response', `The server answered ${status} ${statusText}`.trim() + '. Please try again.');
}

async function errorFrom(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // not JSON (a proxy's error page, say): fall through to a generic message
  }
  return errorFromBody(response.status, body, response.statusText);
}

export interface RequestOptions {
  /** Default 15 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as it is (a file's text). */
  body?: BodyInit;
  /** Sent even when the page is left right after (fetch's keepalive). */
  keepalive?: boolean;
}

/** Sends one request; resolves with a 2xx answer, rejects with an ApiError otherwise. */
export async function request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, options: RequestOptions = {}): Promise<Response> {
  const { signal, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: options.json === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: options.json === undefined ? options.body : JSON.stringify(options.json),
      signal: combined,
      cache: 'no-store',
      keepalive: options.keepalive,
    });
  } catch (error) {
    if (signal?.aborted) throw error; // the caller cancelled: not a failure to report
    if (timeout.aborted) {
      throw new ApiError(0, 'timeout', 'The playground server took too long to answer. Please try again.');
    }
    throw new ApiError(
      0,
      'network',
      'Could not reach the playground server. Check your connection and try again.',
    );
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** request(), then the answer's JSON body. */
export async function requestJson<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, options: RequestOptions = {}): Promise<T> {
  return (await (await request(method, url, options)).json()) as T;
}

async function sessionFrom(response: Response): Promise<SessionInfo> {
  const body = (await response.json()) as SessionInfo;
  if (typeof body?.id !== 'string' || !Array.isArray(body.instances)) {
    throw new ApiError(response.status, 'unexpected_response', 'The server sent an unexpected answer.');
  }
  return body;
}

/** The body of POST /api/sessions (and of joining the line): a template, a workshop or a stack link, or nothing. */
export interface StartWanted {
  template?: string;
  workshop?: string;
  /** A stack link's compose file URL, and its compose project name. */
  stack?: string;
  stackName?: string;
  /** A saved session to start from (/?saved=<id>). */
  saved?: string;
}

/**
 * POST /api/sessions: starts a session with one instance (node1), which may still be starting; with
 * a template (e.g. "swarm-3m2w"), the server goes on assembling it, reported in `template`; with a
 * stack link, deploying it, reported in `stack`.
 */
export async function createSession(signal?: AbortSignal, wanted: StartWanted = {}): Promise<SessionInfo> {
  const json = Object.values(wanted).some(Boolean) ? wanted : undefined;
  return sessionFrom(await request('POST', apiPaths.sessions, { timeoutMs: CREATE_TIMEOUT_MS, signal, json }));
}

/** GET /api/sessions/{id}. A session that does not exist (or has ended) throws an ApiError with status 404. */
export async function getSession(id: string, signal?: AbortSignal): Promise<SessionInfo> {
  return sessionFrom(await request('GET', apiPaths.session(id), { signal }));
}

/** DELETE /api/sessions/{id}. A session that is already gone counts as closed (safe to call twice). */
export async function deleteSession(id: string, signal?: AbortSignal): Promise<void> {
  try {
    await request('DELETE', apiPaths.session(id), { signal });
  } catch (error) {
    if (error instanceof ApiError && error.isNotFound) return;
    throw error;
  }
}

/** POST /api/waiting-room: a place in line for a full playground (the same body as POST /api/sessions). */
export async function joinWaitingRoom(wanted: StartWanted, signal?: AbortSignal): Promise<WaitingRoomStatus> {
  return requestJson<WaitingRoomStatus>('POST', apiPaths.waitingRoom, { signal, json: wanted });
}

/** GET /api/waiting-room/{ticket}: the place in line, or the session once it started. */
export async function waitingRoomStatus(ticket: string, signal?: AbortSignal): Promise<WaitingRoomStatus> {
  return requestJson<WaitingRoomStatus>('GET', apiPaths.ticket(ticket), { signal });
}

/** DELETE /api/waiting-room/{ticket}: leaves the line. */
export async function leaveWaitingRoom(ticket: string): Promise<void> {
  await request('DELETE', apiPaths.ticket(ticket)).catch(() => undefined);
}

/** POST /api/sessions/{id}/extend: the session with its end moved later; 409 (extend_limit) at the longest allowed. */
export async function extendSession(id: string, signal?: AbortSignal): Promise<SessionInfo> {
  return sessionFrom(await request('POST', apiPaths.extend(id), { signal }));
}

/** POST /api/sessions/{id}/save: copies its instances' disks and workshop progress; the session goes on. */
export async function saveSession(id: string, signal?: AbortSignal): Promise<SavedSessionInfo> {
  return requestJson<SavedSessionInfo>('POST', apiPaths.save(id), { timeoutMs: SAVE_TIMEOUT_MS, signal });
}

/** POST /api/sessions/{id}/instances: adds the next nodeN; 409 (instance_limit) past the limit. */
export async function addInstance(id: string, signal?: AbortSignal): Promise<InstanceInfo> {
  return requestJson<InstanceInfo>('POST', apiPaths.instances(id), { timeoutMs: CREATE_TIMEOUT_MS, signal });
}

/** DELETE /api/sessions/{id}/instances/{name}. One already gone counts as deleted. */
export async function deleteInstance(id: string, name: string, signal?: AbortSignal): Promise<void> {
  try {
    await request('DELETE', apiPaths.instance(id, name), { timeoutMs: CREATE_TIMEOUT_MS, signal });
  } catch (error) {
    if (error instanceof ApiError && error.code === 'instance_not_found') return;
    throw error;
  }
}

/** GET .../instances/{name}/stats: live CPU (share of one CPU, %) and memory. */
export async function getInstanceStats(id: string, name: string, signal?: AbortSignal): Promise<InstanceStats> {
  return requestJson<InstanceStats>('GET', apiPaths.stats(id, name), { signal });
}

/** POST .../instances/{name}/restart: the instance restarts, keeping its Docker data. */
export async function restartInstance(id: string, name: string, signal?: AbortSignal): Promise<InstanceInfo> {
  return requestJson<InstanceInfo>('POST', apiPaths.restart(id, name), { timeoutMs: CREATE_TIMEOUT_MS, signal });
}

/** DELETE .../instances/{name}/terminals/{n}: ends that shell (a closed tab). Already gone counts as done. */
export async function closeTerminal(id: string, name: string, n: number, signal?: AbortSignal): Promise<void> {
  try {
    await request('DELETE', apiPaths.terminalNumber(id, name, n), { signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return;
    throw error;
  }
}

/**
 * How long a new session lives, in seconds (GET /api/health says so, also while it answers 503), or
 * null when it cannot be asked.
 */
export async function sessionLifetimeSeconds(signal?: AbortSignal): Promise<number | null> {
  try {
    const timeout = AbortSignal.timeout(DEFAULT_TIMEOUT_MS);
    const response = await fetch(apiPaths.health, {
      headers: { accept: 'application/json' },
      cache: 'no-store',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const body = (await response.json()) as Partial<HealthBody>;
    return typeof body.sessionTtlSeconds === 'number' ? body.sessionTtlSeconds : null;
  } catch {
    return null;
  }
}
