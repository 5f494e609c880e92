import { describe, expect, it } from 'vitest';
import { PlaygroundMetrics } from './playground-metrics';

/** The value of one sample line (`name{labels} value`) of the exposition, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function metricsWith(usage = { sessions: 0, instances: 0 }, ready = 0): PlaygroundMetrics {
  return new PlaygroundMetrics({ usage: () => usage, warmPoolReady: () => ready });
}

describe('PlaygroundMetrics', () => {
  it('reads the gauges from their sources at scrape time', async () => {
    const usage = { sessions: 1, instances: 2 };
    const metrics = metricsWith(usage, 3);
    let text = await metrics.text();
    expect(sample(text, 'playground_sessions')).toBe(1);
    expect(sample(text, 'playground_instances')).toBe(2);
    expect(sample(text, 'playground_warm_pool_ready')).toBe(3);
    expect(sample(text, 'playground_waiting_line')).toBe(0);
    usage.sessions = 4;
    text = await metrics.text();
    expect(sample(text, 'playground_sessions')).toBe(4);
  });

  it('declares every metric with help and type, in the Prometheus text format', async () => {
    const metrics = metricsWith();
    const text = await metrics.text();
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const [name, type] of [
      ['playground_sessions', 'gauge'],
      ['playground_instances', 'gauge'],
      ['playground_warm_pool_ready', 'gauge'],
      ['playground_waiting_line', 'gauge'],
      ['playground_admissions_refused_total', 'counter'],
      ['playground_engine_errors_total', 'counter'],
      ['playground_terminal_bytes_total', 'counter'],
      ['playground_time_to_prompt_seconds', 'histogram'],
    ]) {
      expect(text).toContain(`# HELP ${name} `);
      expect(text).toContain(`# TYPE ${name} ${type}`);
    }
  });

  it('includes Node’s default metrics', async () => {
    const text = await metricsWith().text();
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE nodejs_heap_size_used_bytes gauge');
  });

  it('shows every refusal reason and terminal direction from the start, at 0', async () => {
    const text = await metricsWith().text();
    for (const reason of ['at_capacity', 'addresses_exhausted', 'line_full', 'rate_limited', 'too_many_sessions', 'busy']) {
      expect(sample(text, `playground_admissions_refused_total{reason="${reason}"}`)).toBe(0);
    }
    expect(sample(text, 'playground_terminal_bytes_total{direction="out"}')).toBe(0);
    expect(sample(text, 'playground_terminal_bytes_total{direction="in"}')).toBe(0);
  });

  it('counts admission refusals by reason and server faults by code, nothing else', async () => {
    const metrics = metricsWith();
    metrics.errorAnswered('rate_limited', false);
    metrics.errorAnswered('rate_limited', false);
    metrics.errorAnswered('at_capacity', false);
    metrics.errorAnswered('engine_unavailable', true);
    metrics.errorAnswered('internal', true);
    metrics.errorAnswered('session_not_found', false);
    const text = await metrics.text();
    expect(sample(text, 'playground_admissions_refused_total{reason="rate_limited"}')).toBe(2);
    expect(sample(text, 'playground_admissions_refused_total{reason="at_capacity"}')).toBe(1);
    expect(sample(text, 'playground_engine_errors_total{code="engine_unavailable"}')).toBe(1);
    expect(sample(text, 'playground_engine_errors_total{code="internal"}')).toBe(1);
    expect(text).not.toContain('session_not_found');
  });

  it('counts terminal bytes each way and observes time to prompt', async () => {
    const metrics = metricsWith();
    metrics.bytesOut(100);
    metrics.bytesOut(20);
    metrics.bytesIn(3);
    metrics.timeToPrompt(0.2);
    metrics.timeToPrompt(7);
    const text = await metrics.text();
    expect(sample(text, 'playground_terminal_bytes_total{direction="out"}')).toBe(120);
    expect(sample(text, 'playground_terminal_bytes_total{direction="in"}')).toBe(3);
    expect(sample(text, 'playground_time_to_prompt_seconds_count')).toBe(2);
    expect(sample(text, 'playground_time_to_prompt_seconds_sum')).toBe(7.2);
    expect(sample(text, 'playground_time_to_prompt_seconds_bucket{le="0.25"}')).toBe(1);
    expect(sample(text, 'playground_time_to_prompt_seconds_bucket{le="10"}')).toBe(2);
  });

  it('keeps each playground’s metrics apart', async () => {
    const first = metricsWith({ sessions: 1, instances: 1 });
    const second = metricsWith({ sessions: 5, instances: 9 });
    first.bytesIn(10);
    expect(sample(await first.text(), 'playground_sessions')).toBe(1);
    expect(sample(await second.text(), 'playground_sessions')).toBe(5);
    expect(sample(await second.text(), 'playground_terminal_bytes_total{direction="in"}')).toBe(0);
  });
});
