/**
 * One-line logs with context fields: `2026-11-23T19:00:00.000Z info session created session=ab12cd34`.
 * Callers pass a session's log name (sessionLogName), never its id.
 */
type Fields = Record<string, string | number | boolean | undefined>;

function format(level: string, message: string, fields: Fields): string {
  const parts = [new Date().toISOString(), level, message];
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) parts.push(`${key}=${value}`);
  }
  return parts.join(' ');
}

export interface Logger {
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
}

export const consoleLogger: Logger = {
  info: (message, fields = {}) => console.log(format('info', message, fields)),
  warn: (message, fields = {}) => console.warn(format('warn', message, fields)),
  error: (message, fields = {}) => console.error(format('error', message, fields)),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
