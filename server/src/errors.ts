import type { ErrorCode } from './protocol/api-types';
import { CloseCode } from './protocol/terminal-protocol';

// Typed errors of the playground's domain. Each carries how it is told to a client: its HTTP status
// and code, when a retry is worth it, and the close code when it ends a terminal socket.
// http/error-response.ts and http/terminal-upgrade.ts only read these; everything else throws them.

export abstract class PlaygroundError extends Error {
  abstract readonly status: number;
  abstract readonly code: ErrorCode;
  /** Retry-After, in seconds, when trying again later may work. */
  readonly retryAfterSeconds: number | undefined = undefined;
  /** The WebSocket close code (and reason) when this refuses a terminal; 1011 when unset. */
  readonly close: { code: number; reason: string } | undefined = undefined;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class SessionNotFoundError extends PlaygroundError {
  readonly status = 404;
  readonly code = 'session_not_found';
  override readonly close = { code: CloseCode.notFound, reason: 'session not found' };
  constructor() {
    super('This session does not exist or has ended.');
  }
}

export class InstanceNotFoundError extends PlaygroundError {
  readonly status = 404;
  readonly code = 'instance_not_found';
  override readonly close = { code: CloseCode.notFound, reason: 'instance not found' };
  constructor(name: string) {
    super(`This session has no instance named "${name}".`);
  }
}

export class EngineUnavailableError extends PlaygroundError {
  readonly status = 503;
  readonly code = 'engine_unavailable';
  override readonly close = { code: CloseCode.engineUnavailable, reason: 'engine unavailable' };
  constructor(detail: string) {
    super(`The Docker engine is not available: ${detail}`);
  }
}

export class InstanceNotReadyError extends PlaygroundError {
  readonly status = 503;
  readonly code = 'instance_not_ready';
}

export class BadRequestError extends PlaygroundError {
  readonly status = 400;
  readonly code = 'bad_request';
}

export class PayloadTooLargeError extends PlaygroundError {
  readonly status = 413;
  readonly code = 'payload_too_large';
  constructor(limitBytes: number, message = `The request body is larger than the limit of ${limitBytes} bytes.`) {
    super(message);
  }
}

/** A path inside an instance that does not exist. */
export class PathNotFoundError extends PlaygroundError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(path: string) {
    super(`There is no ${path} in this instance.`);
  }
}

/** An upload without Content-Length: its size must be known before anything is written. */
export class LengthRequiredError extends PlaygroundError {
  readonly status = 411;
  readonly code = 'length_required';
  constructor() {
    super('Uploads need a Content-Length header (browsers and curl send one).');
  }
}

/** A new session or instance refused by admission: 429 (this client is too fast) or 503 (server full). */
export class AdmissionRefusedError extends PlaygroundError {
  readonly code: ErrorCode;
  override readonly retryAfterSeconds: number;

  constructor(
    readonly status: 429 | 503,
    message: string,
    readonly retryAfterMs: number,
    code?: ErrorCode,
  ) {
    super(message);
    this.code = code ?? (status === 429 ? 'rate_limited' : 'at_capacity');
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  }
}

/** A session already has as many instances as allowed (MAX_INSTANCES). */
export class InstanceLimitError extends PlaygroundError {
  readonly status = 409;
  readonly code = 'instance_limit';
  constructor(limit: number) {
    super(`This session already has ${limit} instances, the most allowed. Delete one to add another.`);
  }
}

/** Too much of one kind of work already running for a session (concurrent execs): 429, try again shortly. */
export class BusyError extends PlaygroundError {
  readonly status = 429;
  readonly code = 'busy';
  override readonly retryAfterSeconds: number;

  constructor(
    message: string,
    readonly retryAfterMs = 1_000,
  ) {
    super(message);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  }
}

/**
 * The playground's address range for session networks (SESSION_SUBNETS) has no free block left:
 * every block holds a session. 503: room frees as sessions end.
 */
export class AddressesExhaustedError extends PlaygroundError {
  readonly status = 503;
  readonly code = 'addresses_exhausted';
  override readonly retryAfterSeconds = 30;
  constructor(range: string, capacity: number) {
    super(
      `The playground has no network addresses left for another session: its range ${range} holds ${capacity} sessions and all are in use. ` +
        'Try again when a session ends.',
    );
  }
}

/** The engine's disk (or an instance's) is full: nothing more can be created until space frees. */
export class DiskFullError extends PlaygroundError {
  readonly status = 507;
  readonly code = 'disk_full';
  override readonly retryAfterSeconds = 60;
  constructor() {
    super('The playground machine’s disk is full, so nothing new can be created right now. Try again later; its operator has been told in the log.');
  }
}

/** The engine answered too slowly (a call that timed out): it is alive but overloaded. */
export class EngineSlowError extends PlaygroundError {
  readonly status = 503;
  readonly code = 'engine_slow';
  override readonly retryAfterSeconds = 5;
  constructor(what: string) {
    super(`The Docker engine is answering too slowly right now (${what}). Try again in a moment.`);
  }
}

/** The engine refused part of a session's removal: what is left is retried (DELETE again, or the reaper). */
export class RemovalIncompleteError extends PlaygroundError {
  readonly status = 503;
  readonly code = 'removal_incomplete';
  override readonly retryAfterSeconds = 5;
  constructor() {
    super('Part of this session could not be removed yet. The playground finishes the removal by itself; DELETE again to retry now.');
  }
}

/** A session already runs until the latest end allowed (SESSION_MAX_TTL after it began). */
export class ExtendLimitError extends PlaygroundError {
  readonly status = 409;
  readonly code = 'extend_limit';
  constructor(readonly maxExpiresAt: Date) {
    super(`This session cannot be extended further: it already runs until ${maxExpiresAt.toISOString()}, the latest allowed.`);
  }
}

/** The instance's sandbox was stopped or removed from outside the playground (e.g. `docker rm -f`). */
export class InstanceNotRunningError extends PlaygroundError {
  readonly status = 409;
  readonly code = 'instance_not_running';
  override readonly close = { code: 1011, reason: 'instance is not running' };

  constructor(name = 'This instance') {
    super(`${name} is not running: its sandbox was stopped or removed outside the playground. Restart or delete it.`);
  }
}

/** From a front: the node holding the session does not answer; the machine may be lost. */
export class NodeUnreachableError extends PlaygroundError {
  readonly status = 502;
  readonly code = 'node_unreachable';
  constructor(nodeName: string | undefined) {
    super(
      `The machine that holds this session${nodeName ? ` (${nodeName})` : ''} cannot be reached: it may have been lost, and this session with it. If it does not come back within a minute, start a new session.`,
    );
  }
}

/** From a front: no node behind it is serving. */
export class NoNodesError extends PlaygroundError {
  readonly status = 503;
  readonly code = 'no_nodes';
  override readonly retryAfterSeconds = 60;
  constructor() {
    super('No machine of this playground is serving right now. Please try again in a minute.');
  }
}

/** What only the fronts may do (they are the node's trusted proxies): read the swarm, hand over a place in line. */
export class NotATrustedProxyError extends PlaygroundError {
  readonly status = 403;
  readonly code = 'not_a_trusted_proxy';
  constructor(what: string) {
    super(`Only a front of this playground (an address in this node's TRUSTED_PROXIES) may ${what}.`);
  }
}

/** GET /api/node/swarm on a node whose engine cannot list the swarm. */
export class NotASwarmManagerError extends PlaygroundError {
  readonly status = 409;
  readonly code = 'not_a_swarm_manager';
  constructor(detail: string) {
    super(`This node's Docker engine cannot list the swarm's members (${detail}): ask a node on a Swarm manager.`);
  }
}

/** A stack link's compose file could not be fetched: nothing was made; the link's URL and why, in words. */
export class StackUnreachableError extends PlaygroundError {
  readonly status = 502;
  readonly code = 'stack_unreachable';
  constructor(url: string, why: string) {
    super(`The playground could not fetch the compose file at ${url}: ${why}. No session was started.`);
  }
}

export class SavedNotFoundError extends PlaygroundError {
  readonly status = 404;
  readonly code = 'saved_not_found';
  constructor() {
    super('There is no saved session by this link: it may have expired, or been deleted.');
  }
}

/** Saving would take saved sessions past SAVE_QUOTA: 507, nothing was kept. */
export class SaveQuotaError extends PlaygroundError {
  readonly status = 507;
  readonly code = 'save_quota';
}

export class SavingUnavailableError extends PlaygroundError {
  readonly status = 409;
  readonly code = 'saving_unavailable';
}

/** A class code or trainer link that does not exist (or a class that ended more than a day ago). */
export class EventNotFoundError extends PlaygroundError {
  readonly status = 404;
  readonly code = 'event_not_found';
  override readonly close = { code: CloseCode.notFound, reason: 'class or learner not found' };
  constructor() {
    super('There is no class with this code or link (or it ended more than a day ago).');
  }
}

export class EventFullError extends PlaygroundError {
  readonly status = 409;
  readonly code = 'event_full';
  constructor(seats: number) {
    super(`Every seat of this class is taken (${seats}). Ask the trainer for room.`);
  }
}

export class EventClosedError extends PlaygroundError {
  readonly status = 409;
  readonly code = 'event_closed';
  constructor(why: 'not started' | 'ended', at: Date) {
    super(why === 'ended' ? `This class ended at ${at.toISOString()}.` : `This class opens at ${at.toISOString()}: come back then.`);
  }
}
