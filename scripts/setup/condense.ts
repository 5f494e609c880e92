/**
 * Condensing chatty tool output (debootstrap, apt-get, docker build, docker push) into a few lines
 * that show a person the step is moving. Pure: the caller passes the time.
 */

/** How a line of output is treated. */
export type LineClass =
  /** Print it (trimmed, shortened). */
  | { readonly kind: 'show' }
  /** Never print it. */
  | { readonly kind: 'hide' }
  /** One of many similar lines: announce the phase once, then a count now and then. */
  | { readonly kind: 'phase'; readonly phase: string };

export type Classifier = (line: string) => LineClass | undefined;

export interface Condenser {
  /** Lines to print for this input line (usually none). */
  push(line: string, nowMs: number): string[];
}

export const MAX_LINE_LENGTH = 110;

export function shorten(line: string, max = MAX_LINE_LENGTH): string {
  const t = line.replace(/\s+$/, '').replace(/\t/g, ' ');
  return t.length <= max ? t : `${t.slice(0, max - 3)}...`;
}

/**
 * Lines the classifier shows are printed; phase lines are announced once per phase and then
 * counted, with a "(N so far)" update at most every `intervalMs`; unclassified lines are printed
 * only when nothing was printed for `intervalMs` (a heartbeat with the latest line).
 */
export function createCondenser(classify: Classifier, intervalMs = 5000): Condenser {
  const counts = new Map<string, number>();
  let lastPrintMs = Number.NEGATIVE_INFINITY;

  return {
    push(rawLine: string, nowMs: number): string[] {
      const line = rawLine.trim();
      if (line === '') return [];
      const c = classify(line);
      const due = nowMs - lastPrintMs >= intervalMs;
      const emit = (text: string): string[] => {
        lastPrintMs = nowMs;
        return [shorten(text)];
      };
      if (c?.kind === 'hide') return [];
      if (c?.kind === 'show') {
        return emit(line);
      }
      if (c?.kind === 'phase') {
        const n = (counts.get(c.phase) ?? 0) + 1;
        counts.set(c.phase, n);
        if (n === 1) {
          return emit(`${c.phase}...`);
        }
        // Phases that interleave (download/validate, unpack/configure) do not each get a line.
        if (!due) return [];
        return emit(`${c.phase}... (${n} so far)`);
      }
      return due ? emit(line) : [];
    },
  };
}

const APT_CLASSES: readonly [RegExp, LineClass][] = [
  [/^(E|W):|^Err:\d|^dpkg: error|^Errors were encountered/, { kind: 'show' }],
  [/^(Get|Hit|Ign):\d+ /, { kind: 'phase', phase: 'downloading packages' }],
  [/^Unpacking /, { kind: 'phase', phase: 'unpacking packages' }],
  [/^Setting up /, { kind: 'phase', phase: 'setting up packages' }],
  [/^Selecting previously unselected|^Preparing to unpack|^\(Reading database|^Processing triggers|^Reading package lists|^Building dependency tree|^Reading state information|^debconf: /, { kind: 'hide' }],
  [/^Fetched .* in /, { kind: 'show' }],
];

/** apt-get install / update output. */
export const classifyApt: Classifier = (line) => {
  for (const [re, cls] of APT_CLASSES) if (re.test(line)) return cls;
  return undefined;
};

/** debootstrap output ("I: Retrieving libc6 2.36-9", ...). */
export const classifyDebootstrap: Classifier = (line) => {
  if (/^[EW]: /.test(line)) return { kind: 'show' };
  const m = /^I: (\S+)\s+(.*)$/.exec(line);
  if (!m) return undefined;
  const [, verb, rest = ''] = m;
  if (/^(Installing core packages|Unpacking the base system|Configuring the base system|Base system installed|Resolving dependencies of required)/.test(`${verb} ${rest}`)) {
    return { kind: 'show' };
  }
  if (/^(InRelease|Release|Packages)\b/.test(rest)) return { kind: 'hide' };
  switch (verb) {
    case 'Retrieving':
    case 'Validating':
      return { kind: 'phase', phase: 'downloading packages' };
    case 'Extracting':
      return { kind: 'phase', phase: 'extracting packages' };
    case 'Unpacking':
      return /required packages/.test(rest) ? { kind: 'hide' } : { kind: 'phase', phase: 'unpacking packages' };
    case 'Configuring':
      return /required packages/.test(rest) ? { kind: 'hide' } : { kind: 'phase', phase: 'configuring packages' };
    default:
      return { kind: 'hide' };
  }
};

/** Lines of `docker build` output (the "stream" texts of the legacy builder). */
export const classifyBuild: Classifier = (line) => {
  if (/^Step \d+\/\d+ : /.test(line)) return { kind: 'show' };
  if (/^---> |^Removing intermediate container|^Successfully (built|tagged)|^Running in [0-9a-f]+$/.test(line)) {
    return { kind: 'hide' };
  }
  return classifyApt(line);
};

/** One JSON message of a Docker API progress stream (build, pull, push, import). */
export interface DockerStreamMessage {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string; Tag?: string; Digest?: string; Size?: number };
}

/** The text lines a progress message carries (for builds: possibly several, or a partial one). */
export function messageText(msg: DockerStreamMessage): string {
  if (msg.stream !== undefined) return msg.stream;
  if (msg.error !== undefined) return `ERROR: ${msg.errorDetail?.message ?? msg.error}\n`;
  if (msg.status !== undefined) return `${msg.id ? `${msg.id}: ` : ''}${msg.status}\n`;
  return '';
}
