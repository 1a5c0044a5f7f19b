import { describe, expect, it } from 'vitest';
import { LogCapture } from './log-capture.ts';

describe('LogCapture', () => {
  it('records structured lines from a real pino logger, with level names and bindings', () => {
    const logs = new LogCapture();
    logs.logger.child({ module: 'db' }).info({ port: 5432 }, 'connected');
    logs.logger.warn('slow query');
    logs.logger.trace('very fine');
    const [first, second, third] = logs.lines;
    expect(first).toMatchObject({ level: 30, levelName: 'info', msg: 'connected', module: 'db', port: 5432 });
    expect(typeof first?.time).toBe('number');
    expect(second).toMatchObject({ levelName: 'warn', msg: 'slow query' });
    expect(third).toMatchObject({ levelName: 'trace', level: 10 });
    expect(logs.at('warn')).toHaveLength(1);
    expect(logs.text).toBe(logs.raw.join('\n'));
    expect(logs.text.split('\n')).toHaveLength(3);
  });

  it('names every pino level', () => {
    const logs = new LogCapture();
    for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) logs.logger[level](level);
    expect(logs.lines.map((l) => [l.levelName, l.msg])).toEqual([
      ['trace', 'trace'],
      ['debug', 'debug'],
      ['info', 'info'],
      ['warn', 'warn'],
      ['error', 'error'],
      ['fatal', 'fatal'],
    ]);
  });

  it('finds lines by exact message or pattern and exposes the raw text for leak scans', () => {
    const logs = new LogCapture();
    logs.logger.error({ err: new Error('boom') }, 'request failed');
    expect(logs.find('request failed')?.levelName).toBe('error');
    expect(logs.find(/failed$/)?.msg).toBe('request failed');
    expect(logs.find('nothing like this')).toBeUndefined();
    expect(logs.find(/x{3}/)).toBeUndefined();
    logs.logger.info({ only: 'fields' });
    expect(logs.find(/^$/)?.only).toBe('fields');
    expect(logs.text).toContain('"message":"boom"');
    logs.clear();
    expect(logs.lines).toEqual([]);
    expect(logs.text).toBe('');
  });

  it('applies pino options such as redaction, as production would', () => {
    const logs = new LogCapture({ redact: ['password'] });
    logs.logger.info({ password: 'hunter2' }, 'login');
    expect(logs.text).not.toContain('hunter2');
    expect(logs.find('login')?.password).toBe('[Redacted]');
  });

  it('names unknown numeric levels by their number', () => {
    const logs = new LogCapture({ customLevels: { audit: 35 } });
    (logs.logger as unknown as { audit(msg: string): void }).audit('entry');
    expect(logs.find('entry')?.levelName).toBe('35');
  });
});
