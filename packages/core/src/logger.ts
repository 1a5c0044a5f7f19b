/**
 * The logging contract of Rampart: the shape of a pino logger, so an existing
 * pino instance plugs in unchanged (`createApp({ logger: pino() })`), plus a
 * small JSON-lines logger for apps that bring none.
 */
import { configure } from 'safe-stable-stringify';

/** pino's call forms: `log(obj, msg?)` or `log(msg)`. */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

/** A pino-compatible logger. */
export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  /** A logger whose lines all carry `bindings` (module name, tenant, request id). */
  child(bindings: Record<string, unknown>): Logger;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

// pino's numeric levels, so lines read the same as pino's.
const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;

export interface JsonLoggerOptions {
  /** Lowest level written; default `info`. */
  level?: LogLevel;
  /** Where each line goes; default `process.stdout.write`. */
  write?: (line: string) => void;
  /** Time source (ms epoch); default `Date.now`. */
  clock?: { now(): number };
  /** Fields on every line. */
  bindings?: Record<string, unknown>;
}

function serialize(value: unknown): unknown {
  if (value instanceof Error) {
    const json = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof json !== 'function') return { name: value.name, message: value.message };
    // A log call never throws, not even for an error whose own toJSON does.
    try {
      return json.call(value);
    } catch {
      return { name: value.name, message: value.message };
    }
  }
  return value;
}

// pino's own fallback (cycles become "[Circular]", BigInt a number): only for
// lines JSON.stringify refuses, so the common line keeps the faster built-in.
const safeStringify = configure({ circularValue: '[Circular]', bigint: true, deterministic: false });

/**
 * One JSON line. A log call must never throw: a field with a cycle (a socket,
 * a request) or a BigInt made JSON.stringify throw inside a request handler,
 * and with it the request. A field whose toJSON throws leaves its fields out.
 */
function stringify(line: Record<string, unknown>): string {
  try {
    return JSON.stringify(line);
  } catch {
    try {
      return safeStringify(line);
    } catch (error) {
      const { level, time, msg } = line;
      return JSON.stringify({ level, time, msg, logError: `fields not serializable: ${(error as Error).message}` });
    }
  }
}

/**
 * A JSON-lines logger with pino's line format (`level`, `time`, `msg`, bindings).
 * Errors are written through their `toJSON` (code, category, no stack).
 * @example
 * const logger = createJsonLogger({ level: 'debug' });
 * logger.child({ module: 'db' }).info({ pool: 10 }, 'connected');
 */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const threshold = LEVELS[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const clock = options.clock ?? Date;
  const bindings = options.bindings ?? {};
  const method = (level: Exclude<LogLevel, 'silent'>): LogFn =>
    ((objOrMsg: object | string, msg?: string) => {
      if (LEVELS[level] < threshold) return;
      const fields = typeof objOrMsg === 'string' ? {} : objOrMsg;
      const text = typeof objOrMsg === 'string' ? objOrMsg : msg;
      const line: Record<string, unknown> = { level: LEVELS[level], time: clock.now(), ...bindings };
      for (const [key, value] of Object.entries(fields)) line[key] = serialize(value);
      if (text !== undefined) line['msg'] = text;
      write(`${stringify(line)}\n`);
    });
  return {
    trace: method('trace'),
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    fatal: method('fatal'),
    child: (extra) => createJsonLogger({ ...options, bindings: { ...bindings, ...extra } }),
  };
}

/**
 * A logger that drops everything (tests, benchmarks).
 * @example
 * createApp({ modules, logger: silentLogger });
 */
export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  fatal: () => undefined,
  child: () => silentLogger,
};
