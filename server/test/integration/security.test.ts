import { describe } from 'vitest';
import type { Playground } from '../../src/main';
import { hostileUserSuite } from '../security/hostile-user-suite';
import { docker, startTestPlayground } from './harness';

// The adversarial suite (security/hostile-user-suite.ts) against a playground on this machine's engine.

describe('sandboxes against hostile users', () => {
  let playground: Playground | undefined;
  hostileUserSuite({
    start: async () => {
      playground = await startTestPlayground();
      return {
        url: playground.url,
        docker,
        enginePidFile: '/var/run/docker.pid',
        statusFromHost: async (url) => (await fetch(url, { signal: AbortSignal.timeout(5_000) })).status,
      };
    },
    stop: async () => {
      await playground?.close({ removeSessions: true });
    },
  });
});
