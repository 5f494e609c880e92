import { EngineUnavailableError } from '../errors';

/** dockerode rejects with an Error carrying the HTTP status of the engine's answer. */
export function dockerStatus(error: unknown): number | undefined {
  return (error as { statusCode?: number } | null)?.statusCode;
}

export function isNotFound(error: unknown): boolean {
  return dockerStatus(error) === 404;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ETIMEDOUT']);

/** Turns "cannot reach the engine" into EngineUnavailableError; leaves other errors as they are. */
export function asEngineError(error: unknown): unknown {
  const code = (error as { code?: string } | null)?.code;
  if (code && CONNECTION_CODES.has(code)) {
    return new EngineUnavailableError(`${code} (${(error as Error).message})`);
  }
  return error;
}

/** Runs a cleanup call; "not found" and "already in progress" count as done. */
export async function ignoreGone(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const status = dockerStatus(error);
    if (status === 404 || status === 409 || status === 304) return;
    throw error;
  }
}
