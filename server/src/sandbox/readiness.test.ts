import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InstanceNotReadyError } from '../errors';
import { waitForReadyLine } from './readiness';

describe('waitForReadyLine', () => {
  it('resolves on the ready line, even split across chunks', async () => {
    const logs = new PassThrough();
    const ready = waitForReadyLine(logs, 1000);
    logs.write('booting\nPLAYGROUND_SANDBOX_');
    logs.write('READY\n');
    await expect(ready).resolves.toBeUndefined();
  });

  it('rejects with the reason on the failed line', async () => {
    const logs = new PassThrough();
    const ready = waitForReadyLine(logs, 1000);
    logs.write('PLAYGROUND_SANDBOX_FAILED: dockerd exited\n');
    await expect(ready).rejects.toThrow(/dockerd exited/);
  });

  it('rejects when the log ends first or time runs out', async () => {
    const ended = new PassThrough();
    const endedReady = waitForReadyLine(ended, 1000);
    ended.end('nothing\n');
    await expect(endedReady).rejects.toBeInstanceOf(InstanceNotReadyError);
    await expect(waitForReadyLine(new PassThrough(), 20)).rejects.toThrow(/within 20 ms/);
  });
});
