import { describe, expect, it } from 'vitest';
import { FlowControl } from './flow-control';

describe('FlowControl', () => {
  it('pauses above the high watermark and resumes under the low one', () => {
    const flow = new FlowControl<string>(100, 10);
    flow.add('a');
    flow.sent('a', 100);
    expect(flow.shouldPause()).toBe(false);
    flow.sent('a', 1);
    expect(flow.shouldPause()).toBe(true);
    flow.acked('a', 80);
    expect(flow.mayResume()).toBe(false);
    flow.acked('a', 11);
    expect(flow.mayResume()).toBe(true);
  });

  it('waits for the slowest client', () => {
    const flow = new FlowControl<string>(100, 10);
    flow.add('fast');
    flow.add('slow');
    flow.sent('fast', 200);
    flow.sent('slow', 200);
    flow.acked('fast', 200);
    expect(flow.mayResume()).toBe(false);
    flow.remove('slow');
    expect(flow.mayResume()).toBe(true);
  });

  it('cannot be acknowledged below zero', () => {
    const flow = new FlowControl<string>(100, 10);
    flow.add('a');
    flow.acked('a', 1_000_000);
    flow.sent('a', 150);
    expect(flow.inFlightOf('a')).toBe(150);
    expect(flow.shouldPause()).toBe(true);
  });

  it('names clients that keep it paused past the stall time', () => {
    const flow = new FlowControl<string>(100, 10);
    flow.add('stuck');
    flow.add('fine');
    flow.sent('stuck', 500);
    flow.markPaused(1000);
    expect(flow.stalledClients(5000, 10_000)).toEqual([]);
    expect(flow.stalledClients(11_000, 10_000)).toEqual(['stuck']);
    flow.markResumed();
    expect(flow.stalledClients(20_000, 10_000)).toEqual([]);
  });
});
