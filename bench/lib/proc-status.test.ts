import { describe, expect, it } from 'vitest';
import { parseProcStatus } from './proc-status';

const SAMPLE = `Name:\tnode
Umask:\t0022
State:\tS (sleeping)
VmPeak:\t 1234567 kB
VmHWM:\t   98304 kB
VmRSS:\t   81920 kB
RssAnon:\t   40000 kB
`;

describe('parseProcStatus', () => {
  it('reads VmRSS and VmHWM in bytes', () => {
    expect(parseProcStatus(SAMPLE)).toEqual({ rss: 81920 * 1024, hwm: 98304 * 1024 });
  });

  it('says which field is missing (a kernel thread has none)', () => {
    expect(() => parseProcStatus('Name:\tkthreadd\n')).toThrow(/VmRSS/);
  });
});
