import { InstanceNotReadyError } from '../errors';

/** The sandbox's init prints these lines on stdout (see sandbox/README.md). */
export const READY_LINE = 'PLAYGROUND_SANDBOX_READY';
export const FAILED_LINE = 'PLAYGROUND_SANDBOX_FAILED';

/**
 * Resolves when READY_LINE appears in a container's log stream; rejects when FAILED_LINE appears,
 * the stream ends first, or timeoutMs passes. Works on the raw (multiplexed) stream: the markers are
 * plain ASCII inside a frame, and a short tail is kept so a marker split across chunks is still seen.
 */
export function waitForReadyLine(logs: NodeJS.ReadableStream, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let tail = '';
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      logs.removeListener('data', onData);
      logs.removeListener('end', onEnd);
      logs.removeListener('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onData = (chunk: Buffer | string) => {
      tail = (tail + chunk.toString()).slice(-8192);
      const failedAt = tail.indexOf(FAILED_LINE);
      if (failedAt >= 0) {
        const reason = tail.slice(failedAt + FAILED_LINE.length).split('\n')[0]?.replace(/^[:\s]+/, '') ?? '';
        settle(new InstanceNotReadyError(`Docker inside the instance failed to start: ${reason || 'no reason given'}`));
      } else if (tail.includes(READY_LINE)) {
        settle();
      }
    };
    const onEnd = () => settle(new InstanceNotReadyError('The instance stopped before Docker inside it was ready.'));
    const onError = (error: Error) => settle(new InstanceNotReadyError(`Lost the instance's log: ${error.message}`));
    const timer = setTimeout(
      () => settle(new InstanceNotReadyError(`Docker inside the instance was not ready within ${timeoutMs} ms.`)),
      timeoutMs,
    );
    logs.on('data', onData);
    logs.once('end', onEnd);
    logs.once('error', onError);
  });
}
