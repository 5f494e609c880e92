import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ErrorCode } from '../protocol/api-types';
import type { TerminalMeter } from './terminal-meter';

/** Where the gauges read their values, at scrape time (nothing is copied between scrapes). */
export interface MetricSources {
  /** Live sessions and their instances (SessionService.usage). */
  usage(): { sessions: number; instances: number };
  /** Warm sandboxes ready to be claimed (WarmPool.readyCount). */
  warmPoolReady(): number;
  /** People in the waiting room's line (WaitingRoom.length). */
  waitingLine?(): number;
}

/** The error codes of refused admissions: the playground is full, or a client asks too much. */
export const ADMISSION_REFUSALS = ['at_capacity', 'addresses_exhausted', 'line_full', 'rate_limited', 'too_many_sessions', 'busy'] as const satisfies readonly ErrorCode[];
type AdmissionRefusal = (typeof ADMISSION_REFUSALS)[number];

function isAdmissionRefusal(code: ErrorCode): code is AdmissionRefusal {
  return (ADMISSION_REFUSALS as readonly ErrorCode[]).includes(code);
}

/** From a cached prompt (a warm or reattached shell, milliseconds) to a cold shell on a busy engine. */
const TIME_TO_PROMPT_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The playground's Prometheus metrics, in a registry of its own: several playgrounds run in one
 * test process, and the client's global default registry would mix (and refuse) their metrics.
 */
export class PlaygroundMetrics implements TerminalMeter {
  readonly registry = new Registry();
  private readonly refused: Counter<'reason'>;
  private readonly engineErrors: Counter<'code'>;
  private readonly terminalBytes: Counter<'direction'>;
  private readonly promptSeconds: Histogram;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    new Gauge({
      name: 'playground_sessions',
      help: 'Live sessions.',
      registers,
      collect() {
        this.set(sources.usage().sessions);
      },
    });
    new Gauge({
      name: 'playground_instances',
      help: 'Live instances (Docker hosts) of all sessions.',
      registers,
      collect() {
        this.set(sources.usage().instances);
      },
    });
    new Gauge({
      name: 'playground_warm_pool_ready',
      help: 'Warm sandboxes started and ready to become a new session’s node1.',
      registers,
      collect() {
        this.set(sources.warmPoolReady());
      },
    });
    new Gauge({
      name: 'playground_waiting_line',
      help: 'People waiting in line for a place in the playground (the waiting room).',
      registers,
      collect() {
        this.set(sources.waitingLine?.() ?? 0);
      },
    });
    this.refused = new Counter({
      name: 'playground_admissions_refused_total',
      help: 'Requests refused by admission, by reason (the error code answered).',
      labelNames: ['reason'],
      registers,
    });
    this.engineErrors = new Counter({
      name: 'playground_engine_errors_total',
      help: 'Requests answered with a server fault (5xx other than at_capacity and addresses_exhausted, engine_unavailable among them), by error code.',
      labelNames: ['code'],
      registers,
    });
    this.terminalBytes = new Counter({
      name: 'playground_terminal_bytes_total',
      help: 'Terminal bytes through the sockets: out (shell output, replay included) and in (typed input).',
      labelNames: ['direction'],
      registers,
    });
    this.promptSeconds = new Histogram({
      name: 'playground_time_to_prompt_seconds',
      help: 'Seconds from a terminal socket being accepted to its first output byte.',
      buckets: TIME_TO_PROMPT_BUCKETS,
      registers,
    });
    // Every known series shows from the first scrape, at 0: rate() and alerts need no special case.
    for (const reason of ADMISSION_REFUSALS) this.refused.labels(reason).inc(0);
    for (const direction of ['out', 'in']) this.terminalBytes.labels(direction).inc(0);
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts an error answer: an admission refusal by reason, or a server fault by code. */
  errorAnswered(code: ErrorCode, isServerFault: boolean): void {
    if (isAdmissionRefusal(code)) this.refused.labels(code).inc();
    else if (isServerFault) this.engineErrors.labels(code).inc();
  }

  bytesOut(bytes: number): void {
    this.terminalBytes.labels('out').inc(bytes);
  }

  bytesIn(bytes: number): void {
    this.terminalBytes.labels('in').inc(bytes);
  }

  timeToPrompt(seconds: number): void {
    this.promptSeconds.observe(seconds);
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
