/**
 * RampartError.toJSON() followed `cause` without end: a cycle (a.cause = b,
 * b.cause = a) overflowed the stack, and the JSON logger, catching that, wrote
 * the error without its code or causes.
 */
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from './logger.ts';
import { RampartError } from './rampart-error.ts';

const error = (code: string, cause?: unknown) => new RampartError(code, `${code} failed`, { category: 'test', ...(cause === undefined ? {} : { cause }) });
const setCause = (target: Error, cause: unknown) => Object.defineProperty(target, 'cause', { value: cause, configurable: true, writable: true });

describe('RampartError.toJSON() of a cause chain', () => {
  it('writes a cause that loops back as [Circular], and the logger keeps the error', () => {
    const a = error('A');
    const b = error('B', a);
    setCause(a, b);
    const expected = {
      name: 'RampartError',
      code: 'A',
      category: 'test',
      message: 'A failed',
      cause: { name: 'RampartError', code: 'B', category: 'test', message: 'B failed', cause: { name: 'RampartError', message: '[Circular]' } },
    };
    expect(JSON.parse(JSON.stringify(a))).toEqual(expected);
    const lines: string[] = [];
    createJsonLogger({ write: (line) => void lines.push(line), clock: { now: () => 1 } }).error({ err: a }, 'failed');
    expect(JSON.parse(lines[0] ?? '{}')).toEqual({ level: 50, time: 1, err: expected, msg: 'failed' });
  });

  it('writes an error that is its own cause once', () => {
    const self = error('SELF');
    setCause(self, self);
    expect(self.toJSON()).toEqual({ name: 'RampartError', code: 'SELF', category: 'test', message: 'SELF failed', cause: { name: 'RampartError', message: '[Circular]' } });
  });

  it('writes 16 levels of causes, then marks the cut', () => {
    let chain = error('E40');
    for (let i = 39; i >= 0; i -= 1) chain = error(`E${String(i)}`, chain);
    const codes: string[] = [];
    let node: Record<string, unknown> | undefined = chain.toJSON() as unknown as Record<string, unknown>;
    let last: Record<string, unknown> | undefined;
    while (node !== undefined) {
      if (typeof node['code'] === 'string') codes.push(node['code']);
      last = node;
      node = node['cause'] as Record<string, unknown> | undefined;
    }
    expect(codes).toEqual(Array.from({ length: 17 }, (_, i) => `E${String(i)}`));
    expect(last).toEqual({ name: 'RampartError', message: '[Truncated: more than 16 causes]' });
  });

  it('forgets an error whose toJSON threw: serialized again later, it is no [Circular]', () => {
    const inner = error('INNER');
    let calls = 0;
    Object.defineProperty(inner, 'toJSON', {
      value: () => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        return RampartError.prototype.toJSON.call(inner);
      },
    });
    const outer = error('OUTER', inner);
    expect(() => outer.toJSON()).toThrow('boom');
    expect(error('X', outer).toJSON()).toEqual({
      name: 'RampartError',
      code: 'X',
      category: 'test',
      message: 'X failed',
      cause: { name: 'RampartError', code: 'OUTER', category: 'test', message: 'OUTER failed', cause: { name: 'RampartError', code: 'INNER', category: 'test', message: 'INNER failed' } },
    });
  });
});
