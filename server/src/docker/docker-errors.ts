import { DiskFullError, EngineSlowError, EngineUnavailableError } from '../errors';

/** dockerode rejects with an Error carrying the HTTP status of the engine's answer. */
export function dockerStatus(error: unknown): number | undefined {
  return (error as { statusCode?: number } | null)?.statusCode;
}

export function isNotFound(error: unknown): boolean {
  return dockerStatus(error) === 404;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ETIMEDOUT']);

/**
 * Turns the engine failures we can name into errors with a code and a sentence: cannot reach it,
 * too slow to answer, out of disk. Leaves other errors as they are.
 */
export function asEngineError(error: unknown): unknown {
  const code = (error as { code?: string } | null)?.code;
  const message = (error as Error | null)?.message ?? '';
  if (code === 'ETIMEDOUT' && /timeout/i.test(message)) return new EngineSlowError(message);
  if (code && CONNECTION_CODES.has(code)) {
    return new EngineUnavailableError(`${code} (${message})`);
  }
  if (/no space left on device/i.test(message)) return new DiskFullError();
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
