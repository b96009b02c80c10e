/**
 * Logs go to stderr, always: stdout belongs to the CLI's output (tables, JSON, the `ready`
 * line) so scripts can parse it. One line per event, prefixed with level and component.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function thresholdFromEnv(): LogLevel {
  const level = process.env.SAMSA_LOG_LEVEL;
  return level === 'debug' || level === 'info' || level === 'warn' || level === 'error' ? level : 'info';
}

let threshold: LogLevel = thresholdFromEnv();

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  child(component: string): Logger;
}

export function createLogger(component: string): Logger {
  const write = (level: LogLevel, message: string, error?: unknown) => {
    if (ORDER[level] < ORDER[threshold]) return;
    const detail = error instanceof Error ? `: ${error.stack ?? error.message}` : error === undefined ? '' : `: ${String(error)}`;
    process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} [${component}] ${message}${detail}\n`);
  };
  return {
    debug: (message) => write('debug', message),
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message, error) => write('error', message, error),
    child: (sub) => createLogger(`${component}:${sub}`),
  };
}
