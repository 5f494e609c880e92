import pino from 'pino';

/**
 * Logs with context fields, through pino. Two formats (LOG_FORMAT):
 * - text (default): one readable line per event, `2026-11-23T19:00:00.000Z info session created session=ab12cd34`,
 *   info on stdout, warn and error on stderr;
 * - json: pino's JSON lines on stdout, `{"level":"info","time":"...","session":"ab12cd34","msg":"session created"}`.
 * Callers pass a session's log name (sessionLogName), never its id.
 */
type Fields = Record<string, string | number | boolean | undefined>;

export type LogFormat = 'text' | 'json';

export interface Logger {
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
}

/** Where finished lines go (each ends in a newline). */
export interface LogSinks {
  out(line: string): void;
  err(line: string): void;
}

const processSinks: LogSinks = {
  out: (line) => process.stdout.write(line),
  err: (line) => process.stderr.write(line),
};

/** One readable line from one of pino's records: time, level, message, then key=value per field. */
export function textLine(record: Record<string, unknown>): string {
  const { time, level, msg, ...fields } = record;
  const parts = [String(time), String(level), String(msg)];
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null) parts.push(`${key}=${value}`);
  }
  return parts.join(' ');
}

/** A pino destination: the JSON line as it is, or reformatted as a text line. */
function destination(format: LogFormat, sinks: LogSinks): { write(line: string): void } {
  if (format === 'json') return { write: (line) => sinks.out(line) };
  return {
    write(line) {
      const record = JSON.parse(line) as Record<string, unknown>;
      const text = `${textLine(record)}\n`;
      if (record.level === 'info') sinks.out(text);
      else sinks.err(text);
    },
  };
}

/** A logger writing in `format` to the process's stdout and stderr (or to `sinks`, for tests). */
export function createLogger(format: LogFormat, sinks: LogSinks = processSinks): Logger {
  const log = pino(
    {
      // No pid or hostname on every line; ISO times and level names, as the text lines have.
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination(format, sinks),
  );
  return {
    info: (message, fields = {}) => log.info(fields, message),
    warn: (message, fields = {}) => log.warn(fields, message),
    error: (message, fields = {}) => log.error(fields, message),
  };
}

/** Text lines on the console: the default, and what scripts use before a configuration is read. */
export const consoleLogger: Logger = createLogger('text');

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** What logs show of a session: enough to correlate lines, useless as a capability. */
export function sessionLogName(key: string): string {
  return key.slice(0, 8);
}
