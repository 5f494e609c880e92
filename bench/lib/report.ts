/**
 * Figures, targets and how they print: aligned text for the console, Markdown for
 * docs/performance.md. Pure.
 */
import type { Summary } from './stats';

export type Unit = 'ms' | 's' | 'MB/s' | 'MB' | 'MiB' | 'KiB' | 'instances' | 'sessions';

/** A measured value: a sample's summary, or one number (a count, an estimate). */
export type Measured =
  | { kind: 'sample'; summary: Summary; unit: Unit; spread: 'min-max' | 'p5-p95'; showP99?: boolean }
  | { kind: 'single'; value: number; unit: Unit; detail?: string };

export interface Target {
  text: string;
  /** null: not applicable (e.g. no warm pool exists to measure). */
  met: boolean | null;
}

export interface Figure {
  label: string;
  measured: Measured;
  baseline?: { label: string; measured: Measured };
  targets?: Target[];
  note?: string;
}

export interface BenchResult {
  name: string;
  title: string;
  figures: Figure[];
  /** Plain sentences about method or what was seen (printed under the figures). */
  notes: string[];
  durationMs: number;
}

// --- targets ---------------------------------------------------------------------------------------

export function atMost(text: string, actual: number, limit: number): Target {
  return { text, met: actual <= limit };
}

export function atLeast(text: string, actual: number, limit: number): Target {
  return { text, met: actual >= limit };
}

export function notApplicable(text: string): Target {
  return { text, met: null };
}

export function targetText(target: Target): string {
  const verdict = target.met === null ? 'n/a' : target.met ? 'met' : 'MISSED';
  return `${target.text}: ${verdict}`;
}

// --- numbers -----------------------------------------------------------------------------------------

/** A number with sensible precision: 3 significant digits below 100, whole numbers above. */
export function formatNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  if (magnitude === 0) return '0';
  return value.toPrecision(2);
}

const COUNTS: readonly Unit[] = ['instances', 'sessions'];

function withUnit(value: number, unit: Unit): string {
  if (COUNTS.includes(unit)) return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
  return `${formatNumber(value)} ${unit}`;
}

/** The headline number: the median (p50) of a sample, or the single value. */
export function formatHeadline(measured: Measured): string {
  if (measured.kind === 'single') return withUnit(measured.value, measured.unit);
  const { summary, unit } = measured;
  const p99 = measured.showP99 ? `, p99 ${withUnit(summary.p99, unit)}` : '';
  return `${measured.showP99 ? 'p50 ' : ''}${withUnit(summary.p50, unit)}${p99}`;
}

/** The spread: min–max or p5–p95, with the sample size. */
export function formatSpread(measured: Measured): string {
  if (measured.kind === 'single') return measured.detail ?? '';
  const { summary, unit, spread } = measured;
  const [low, high] = spread === 'min-max' ? [summary.min, summary.max] : [summary.p5, summary.p95];
  return `${spread === 'min-max' ? 'min–max' : 'p5–p95'} ${formatNumber(low)}–${formatNumber(high)} ${unit}, n=${summary.n}`;
}

function formatBaseline(figure: Figure): string {
  if (!figure.baseline) return '';
  const { label, measured } = figure.baseline;
  const spread = formatSpread(measured);
  return `${label}: ${formatHeadline(measured)}${spread ? ` (${spread})` : ''}`;
}

// --- console -------------------------------------------------------------------------------------

export function consoleLines(result: BenchResult): string[] {
  const lines = [`== ${result.title} (${result.name}, ${(result.durationMs / 1000).toFixed(0)} s)`];
  for (const figure of result.figures) {
    const spread = formatSpread(figure.measured);
    lines.push(`  ${figure.label}: ${formatHeadline(figure.measured)}${spread ? `  [${spread}]` : ''}`);
    if (figure.baseline) lines.push(`      baseline ${formatBaseline(figure)}`);
    for (const target of figure.targets ?? []) lines.push(`      target ${targetText(target)}`);
    if (figure.note) lines.push(`      note: ${figure.note}`);
  }
  for (const note of result.notes) lines.push(`  * ${note}`);
  return lines;
}

// --- Markdown -------------------------------------------------------------------------------------

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdownSection(result: BenchResult, context: { date: string; machine: string; mode: string }): string {
  const rows = result.figures.map((figure) => {
    const what = figure.note ? `${figure.label} (${figure.note})` : figure.label;
    const targets = (figure.targets ?? []).map(targetText).join('; ');
    return `| ${cell(what)} | ${cell(formatHeadline(figure.measured))} | ${cell(formatSpread(figure.measured))} | ${cell(formatBaseline(figure))} | ${cell(targets)} |`;
  });
  return [
    `### ${result.title}`,
    '',
    `Measured ${context.date} (${context.mode}, ${(result.durationMs / 1000).toFixed(0)} s) on ${context.machine}.`,
    '',
    '| figure | median | spread | baseline (same run) | target |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    ...result.notes.map((note) => `- ${note}`),
  ]
    .join('\n')
    .trimEnd();
}

/** Every target of a result that was missed. */
export function missedTargets(result: BenchResult): string[] {
  return result.figures.flatMap((figure) =>
    (figure.targets ?? []).filter((target) => target.met === false).map((target) => `${figure.label}: ${target.text}`),
  );
}
