// Typed errors of the playground's domain. The HTTP layer maps them to status codes in one place
// (http/error-response.ts); everything else just throws them.

export class PlaygroundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class SessionNotFoundError extends PlaygroundError {
  constructor() {
    super('This session does not exist or has ended.');
  }
}

export class InstanceNotFoundError extends PlaygroundError {
  constructor(name: string) {
    super(`This session has no instance named "${name}".`);
  }
}

export class EngineUnavailableError extends PlaygroundError {
  constructor(detail: string) {
    super(`The Docker engine is not available: ${detail}`);
  }
}

export class InstanceNotReadyError extends PlaygroundError {}

export class BadRequestError extends PlaygroundError {}

export class PayloadTooLargeError extends PlaygroundError {
  constructor(limitBytes: number, message = `The request body is larger than the limit of ${limitBytes} bytes.`) {
    super(message);
  }
}

/** A path inside an instance that does not exist. */
export class PathNotFoundError extends PlaygroundError {
  constructor(path: string) {
    super(`There is no ${path} in this instance.`);
  }
}

/** An upload without Content-Length: its size must be known before anything is written. */
export class LengthRequiredError extends PlaygroundError {
  constructor() {
    super('Uploads need a Content-Length header (browsers and curl send one).');
  }
}

/** A new session or instance refused by admission: 429 (this client is too fast) or 503 (server full). */
export class AdmissionRefusedError extends PlaygroundError {
  constructor(
    readonly status: 429 | 503,
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** A session already has as many instances as allowed (MAX_INSTANCES). */
export class InstanceLimitError extends PlaygroundError {
  constructor(limit: number) {
    super(`This session already has ${limit} instances, the most allowed. Delete one to add another.`);
  }
}

/** Too much of one kind of work already running for a session (concurrent execs): 429, try again shortly. */
export class BusyError extends PlaygroundError {
  constructor(
    message: string,
    readonly retryAfterMs = 1_000,
  ) {
    super(message);
  }
}

/**
 * The playground's address range for session networks (SESSION_SUBNETS) has no free block left:
 * every block holds a session. 503: room frees as sessions end.
 */
export class AddressesExhaustedError extends PlaygroundError {
  constructor(range: string, capacity: number) {
    super(
      `The playground has no network addresses left for another session: its range ${range} holds ${capacity} sessions and all are in use. ` +
        'Try again when a session ends.',
    );
  }
}

/** The engine's disk (or an instance's) is full: nothing more can be created until space frees. */
export class DiskFullError extends PlaygroundError {
  constructor() {
    super('The playground machine’s disk is full, so nothing new can be created right now. Try again later; its operator has been told in the log.');
  }
}

/** The engine answered too slowly (a call that timed out): it is alive but overloaded. */
export class EngineSlowError extends PlaygroundError {
  constructor(what: string) {
    super(`The Docker engine is answering too slowly right now (${what}). Try again in a moment.`);
  }
}

/** The engine refused part of a session's removal: what is left is retried (DELETE again, or the reaper). */
export class RemovalIncompleteError extends PlaygroundError {
  constructor() {
    super('Part of this session could not be removed yet. The playground finishes the removal by itself; DELETE again to retry now.');
  }
}

/** A session already runs until the latest end allowed (SESSION_MAX_TTL after it began). */
export class ExtendLimitError extends PlaygroundError {
  constructor(readonly maxExpiresAt: Date) {
    super(`This session cannot be extended further: it already runs until ${maxExpiresAt.toISOString()}, the latest allowed.`);
  }
}
