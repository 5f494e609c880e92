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

  it('refuses an acknowledgement of more than was sent and not yet acknowledged', () => {
    const flow = new FlowControl<string>(100, 10);
    flow.add('a');
    expect(flow.acked('a', 1)).toBe(false);
    flow.sent('a', 150);
    expect(flow.acked('a', 1e15)).toBe(false);
    expect(flow.inFlightOf('a')).toBe(150);
    expect(flow.acked('a', 100)).toBe(true);
    expect(flow.acked('a', 51)).toBe(false);
    expect(flow.acked('a', 50)).toBe(true);
    expect(flow.inFlightOf('a')).toBe(0);
    // A client already removed may still have acks on the way: not a violation.
    flow.remove('a');
    expect(flow.acked('a', 10)).toBe(true);
  });

  it('counts what the socket still buffers even when everything is acknowledged', () => {
    const buffered = new Map([['a', 0]]);
    const flow = new FlowControl<string>(100, 10, (client) => buffered.get(client) ?? 0);
    flow.add('a');
    flow.sent('a', 500);
    flow.acked('a', 500);
    buffered.set('a', 500);
    expect(flow.inFlightOf('a')).toBe(500);
    expect(flow.shouldPause()).toBe(true);
    buffered.set('a', 50);
    expect(flow.mayResume()).toBe(false);
    buffered.set('a', 10);
    expect(flow.mayResume()).toBe(true);
  });

  it('names clients that stay over the high watermark, not back under the low one, past the stall time', () => {
    const flow = new FlowControl<string>(100, 10);
    flow.add('stuck');
    flow.add('fine');
    flow.sent('stuck', 500);
    flow.observe(1000);
    expect(flow.stalledClients(5000, 10_000)).toEqual([]);
    // Acknowledging a little keeps it between the watermarks: still holding the output paused.
    flow.acked('stuck', 450);
    flow.observe(6000);
    expect(flow.stalledClients(11_000, 10_000)).toEqual(['stuck']);
    flow.acked('stuck', 45);
    flow.observe(12_000);
    expect(flow.stalledClients(20_000, 10_000)).toEqual([]);
  });
});
