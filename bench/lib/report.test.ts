import { describe, expect, it } from 'vitest';
import { atLeast, atMost, consoleLines, formatHeadline, formatNumber, formatSpread, markdownSection, missedTargets, notApplicable, type BenchResult } from './report';
import { summarize } from './stats';

const sample = summarize([1.2, 1.5, 2.5, 3.1, 40]);

const result: BenchResult = {
  name: 'echo',
  title: 'Keystroke echo',
  durationMs: 12_300,
  notes: ['typed one at a time'],
  figures: [
    {
      label: 'over the WebSocket',
      measured: { kind: 'sample', summary: sample, unit: 'ms', spread: 'min-max', showP99: true },
      baseline: { label: 'docker exec in a pty', measured: { kind: 'sample', summary: summarize([1, 2, 3]), unit: 'ms', spread: 'min-max' } },
      targets: [atMost('p50 under 5 ms', sample.p50, 5), atMost('p99 under 20 ms', sample.p99, 20)],
    },
    {
      label: 'burst | started',
      measured: { kind: 'single', value: 20, unit: 'sessions', detail: 'of 20' },
      targets: [notApplicable('warm 200 ms (no warm pool)')],
    },
  ],
};

describe('targets', () => {
  it('compare against the limit, inclusive', () => {
    expect(atMost('x', 5, 5).met).toBe(true);
    expect(atMost('x', 5.1, 5).met).toBe(false);
    expect(atLeast('x', 50, 50).met).toBe(true);
    expect(atLeast('x', 49, 50).met).toBe(false);
  });

  it('lists only the missed ones', () => {
    expect(missedTargets(result)).toEqual(['over the WebSocket: p99 under 20 ms']);
  });
});

describe('formatting', () => {
  it('rounds to sensible precision', () => {
    expect(formatNumber(1234.5)).toBe('1,235');
    expect(formatNumber(56.78)).toBe('56.8');
    expect(formatNumber(1.234)).toBe('1.23');
    expect(formatNumber(0.0123)).toBe('0.012');
    expect(formatNumber(0)).toBe('0');
  });

  it('shows the median with p99 when asked, and the spread with n', () => {
    const measured = result.figures[0]!.measured;
    expect(formatHeadline(measured)).toBe('p50 2.50 ms, p99 38.5 ms');
    expect(formatSpread(measured)).toBe('min–max 1.20–40.0 ms, n=5');
  });

  it('prints targets with their verdict on the console', () => {
    const lines = consoleLines(result).join('\n');
    expect(lines).toContain('target p50 under 5 ms: met');
    expect(lines).toContain('target p99 under 20 ms: MISSED');
    expect(lines).toContain('target warm 200 ms (no warm pool): n/a');
    expect(lines).toContain('baseline docker exec in a pty: 2.00 ms (min–max 1.00–3.00 ms, n=3)');
    expect(lines).toContain('burst | started: 20 sessions  [of 20]');
  });

  it('escapes table separators in Markdown', () => {
    const markdown = markdownSection(result, { date: '2026-01-01', machine: '2 cores', mode: 'full run' });
    expect(markdown).toContain('| burst \\| started |');
    expect(markdown).toContain('- typed one at a time');
    expect(markdown.startsWith('### Keystroke echo')).toBe(true);
  });
});
