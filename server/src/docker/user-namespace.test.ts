import { describe, expect, it } from 'vitest';
import { delegationTargets, firstSubordinateId } from './user-namespace';

describe('firstSubordinateId', () => {
  it('finds the first full range of a user', () => {
    const text = 'alice:100000:65536\ndockremap:300000:65536\ndockremap:400000:65536\n';
    expect(firstSubordinateId(text, 'dockremap')).toBe(300000);
    expect(firstSubordinateId(text, 'bob')).toBeUndefined();
    expect(firstSubordinateId('dockremap:300000:100\n', 'dockremap')).toBeUndefined();
  });
});

describe('delegationTargets', () => {
  const id = '/docker/abc';
  it('hands over cgroup v1 directories and their process files, never limit files', () => {
    const targets = delegationTargets(`4:memory:${id}\n1:cpu,cpuacct:${id}\n9:name=systemd:${id}\n`);
    expect(targets).toContain('/sys/fs/cgroup/memory/docker/abc');
    expect(targets).toContain('/sys/fs/cgroup/memory/docker/abc/cgroup.procs');
    expect(targets).toContain('/sys/fs/cgroup/memory/docker/abc/tasks');
    expect(targets).toContain('/sys/fs/cgroup/cpu,cpuacct/docker/abc');
    expect(targets).toContain('/sys/fs/cgroup/systemd/docker/abc');
    expect(targets.some((target) => /limit|max|shares|quota/.test(target))).toBe(false);
  });

  it('uses the unified root for cgroup v2 and skips groups at the root', () => {
    expect(delegationTargets(`0::${id}\n`, '/sys/fs/cgroup', '/sys/fs/cgroup/unified')).toEqual([
      '/sys/fs/cgroup/unified/docker/abc',
      '/sys/fs/cgroup/unified/docker/abc/cgroup.procs',
      '/sys/fs/cgroup/unified/docker/abc/cgroup.threads',
      '/sys/fs/cgroup/unified/docker/abc/cgroup.subtree_control',
    ]);
    expect(delegationTargets('4:memory:/\n0::/\n')).toEqual([]);
  });
});
