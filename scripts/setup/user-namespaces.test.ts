import { describe, expect, it } from 'vitest';
import { hasRange, nextFreeRangeStart, userNamespaceMessage } from './user-namespaces';

describe('subordinate id ranges', () => {
  it('starts a new range after every existing one, at 100000 at the least', () => {
    expect(nextFreeRangeStart('')).toBe(100000);
    expect(nextFreeRangeStart('alice:100000:65536\nbob:165536:65536\n')).toBe(231072);
    expect(nextFreeRangeStart('# comment\nodd line\n')).toBe(100000);
  });

  it('knows whether a user has a range', () => {
    expect(hasRange('alice:100000:65536\ndockremap:300000:65536', 'dockremap')).toBe(true);
    expect(hasRange('dockremapper:1:2', 'dockremap')).toBe(false);
  });

  it('says how to enable user namespaces', () => {
    expect(userNamespaceMessage('unix:///var/run/docker.sock')).toMatch(/userns-remap.*daemon\.json[\s\S]*SANDBOX_USERNS=off/);
  });
});
