/**
 * Captures structured log lines from a real pino logger, so tests assert on what
 * a production logger would actually write (serialisers, bindings, redaction),
 * not on what a hand-made fake chose to record.
 */
import { pino, type Logger, type LoggerOptions } from 'pino';

export interface LogLine {
  level: number;
  levelName: string;
  msg?: string;
  time: number;
  [key: string]: unknown;
}

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/**
 * @example
 * const logs = new LogCapture();
 * service.run({ logger: logs.logger });
 * expect(logs.find('user created')?.userId).toBe(42);
 * expect(logs.text).not.toContain('s3cr3t');
 */
export class LogCapture {
  /** Raw lines exactly as the logger wrote them (for leak scans). */
  readonly raw: string[] = [];
  readonly logger: Logger;

  constructor(options: LoggerOptions = {}) {
    const stream = { write: (chunk: string) => this.#write(chunk) };
    this.logger = pino({ level: 'trace', ...options }, stream);
  }

  /** Parsed lines with `levelName` added. */
  get lines(): LogLine[] {
    return this.raw.map((line) => {
      const parsed = JSON.parse(line) as LogLine;
      return { ...parsed, levelName: LEVEL_NAMES[parsed.level] ?? String(parsed.level) };
    });
  }

  /** Everything written, as one string. */
  get text(): string {
    return this.raw.join('\n');
  }

  /** Lines at a given level name (`'warn'`, `'error'`, ...). */
  at(levelName: string): LogLine[] {
    return this.lines.filter((line) => line.levelName === levelName);
  }

  /** First line whose `msg` equals `msg` (string) or matches it (RegExp). */
  find(msg: string | RegExp): LogLine | undefined {
    return this.lines.find((line) => (typeof msg === 'string' ? line.msg === msg : msg.test(line.msg ?? '')));
  }

  clear(): void {
    this.raw.length = 0;
  }

  #write(chunk: string): void {
    for (const line of chunk.split('\n')) if (line !== '') this.raw.push(line);
  }
}
