import { describe, expect, it } from 'vitest';
import { createJsonLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const logger = createJsonLogger({ write: (line) => void lines.push(line), clock: { now: () => 5 }, bindings: { app: 'a' } });
  return { lines, logger };
}

describe('createJsonLogger never throws from a log call', () => {
  it('writes a field with a cycle, marking the cycle, and keeps a shared (non-cyclic) object whole', () => {
    const { lines, logger } = capture();
    const socket: Record<string, unknown> = { remotePort: 4242 };
    socket['parser'] = { socket };
    const shared = { id: 1 };
    expect(() => logger.info({ req: { socket }, a: shared, b: shared }, 'incoming')).not.toThrow();
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toEqual({
      level: 30, time: 5, app: 'a', msg: 'incoming',
      req: { socket: { remotePort: 4242, parser: { socket: '[Circular]' } } },
      a: { id: 1 }, b: { id: 1 },
    });
  });

  it('writes a BigInt as its number', () => {
    const { lines, logger } = capture();
    logger.warn({ bytes: 12n }, 'big');
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 40, bytes: 12, msg: 'big' });
  });

  it('a field whose toJSON throws costs the fields, not the line', () => {
    const { lines, logger } = capture();
    const hostile = { toJSON: () => { throw new Error('no'); } };
    expect(() => logger.error({ hostile, secret: 'kept out too' }, 'still logged')).not.toThrow();
    expect(JSON.parse(lines[0] as string)).toEqual({ level: 50, time: 5, msg: 'still logged', logError: 'fields not serializable: no' });
  });

  it('plain lines are exactly what JSON.stringify writes (the fast path is unchanged)', () => {
    const { lines, logger } = capture();
    logger.info({ n: 1, s: 'x' }, 'plain');
    expect(lines).toEqual([`${JSON.stringify({ level: 30, time: 5, app: 'a', n: 1, s: 'x', msg: 'plain' })}\n`]);
  });
});
