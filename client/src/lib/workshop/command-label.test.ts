import { describe, expect, it } from 'vitest';
import { commandSummary, copyLabel, runLabel } from './command-label';

describe('code block button names', () => {
  it('name a short command in full', () => {
    expect(runLabel('docker ps -a\n', 'node1')).toBe('Run docker ps -a');
    expect(copyLabel('docker ps')).toBe('Copy docker ps');
  });

  it('say which instance runs it when it is not node1', () => {
    expect(runLabel('docker image ls', 'node2')).toBe('Run docker image ls on node2');
  });

  it('cut a long first line at a word, and count the lines of a longer block', () => {
    const code = "docker run -d --name ticker busybox sh -c 'for i in 1 2 3; do echo tick; done'";
    expect(commandSummary(code)).toBe('docker run -d --name ticker busybox sh…');
    expect(commandSummary('\n  mkdir -p /root/db-init\necho hello > /root/db-init/init.sql\n')).toBe('mkdir -p /root/db-init (2 lines)');
    expect(commandSummary('x'.repeat(60))).toBe(`${'x'.repeat(40)}…`);
  });

  it('tell apart the blocks of a step that start alike', () => {
    const names = ['docker ps', 'docker run --name once busybox echo hi', 'docker ps -a'].map((code) => runLabel(code, 'node1'));
    expect(new Set(names).size).toBe(3);
  });
});
