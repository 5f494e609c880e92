import { describe, expect, it } from 'vitest';
import { AckBatcher } from './ack-batcher';

function manualScheduler() {
  const queued = new Map<number, () => void>();
  let next = 1;
  return {
    schedule: (run: () => void) => {
      const id = next++;
      queued.set(id, run);
      return id as unknown as ReturnType<typeof setTimeout>;
    },
    cancel: (timer: ReturnType<typeof setTimeout>) => void queued.delete(timer as unknown as number),
    runAll: () => {
      const runs = [...queued.values()];
      queued.clear();
      for (const run of runs) run();
    },
    get size() {
      return queued.size;
    },
  };
}

describe('AckBatcher', () => {
  it('coalesces small writes into one ack on the next turn', () => {
    const sent: number[] = [];
    const clock = manualScheduler();
    const acks = new AckBatcher((bytes) => sent.push(bytes), 16_384, clock.schedule, clock.cancel);
    acks.add(100);
    acks.add(200);
    expect(sent).toEqual([]);
    expect(clock.size).toBe(1);
    clock.runAll();
    expect(sent).toEqual([300]);
  });

  it('acks at once when the threshold is reached', () => {
    const sent: number[] = [];
    const clock = manualScheduler();
    const acks = new AckBatcher((bytes) => sent.push(bytes), 1000, clock.schedule, clock.cancel);
    acks.add(600);
    acks.add(600);
    expect(sent).toEqual([1200]);
    expect(clock.size).toBe(0);
  });

  it('sends nothing after dispose', () => {
    const sent: number[] = [];
    const clock = manualScheduler();
    const acks = new AckBatcher((bytes) => sent.push(bytes), 1000, clock.schedule, clock.cancel);
    acks.add(10);
    acks.dispose();
    acks.add(5000);
    acks.flush();
    clock.runAll();
    expect(sent).toEqual([]);
    acks.dispose();
  });
});
