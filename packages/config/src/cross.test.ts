import { describe, expect, it } from 'vitest';
import { t } from './builders.ts';
import { runCrossRules } from './cross.ts';
import { defineSchema } from './schema.ts';

const specWith = (...rules: ((value: { a: number }) => unknown)[]) => defineSchema({ a: t.integer() }, { validate: rules as never[] }).root.spec;

describe('runCrossRules', () => {
  it('passes the value to every rule and collects nothing when they all pass', () => {
    const seen: unknown[] = [];
    const spec = specWith(
      (v) => void seen.push(v),
      () => null,
      () => [],
    );
    expect(runCrossRules(spec, { a: 1 })).toEqual([]);
    expect(seen).toEqual([{ a: 1 }]);
  });

  it('normalizes a message, one issue and a list of issues, splitting dotted paths', () => {
    const spec = specWith(
      () => 'whole object',
      () => ({ path: 'a', message: 'bad a' }),
      () => [
        { path: 'x.y', message: 'deep' },
        { path: '', message: 'root' },
      ],
    );
    expect(runCrossRules(spec, { a: 1 })).toEqual([
      { subPath: [], message: 'whole object' },
      { subPath: ['a'], message: 'bad a' },
      { subPath: ['x', 'y'], message: 'deep' },
      { subPath: [], message: 'root' },
    ]);
  });

  it('reports a throwing rule by its error class only, Error or not, and still runs the next ones', () => {
    const spec = specWith(
      () => {
        throw new Error('boom');
      },
      () => {
        // A rule throwing a non-Error must still be reported readably.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw 42;
      },
      () => 'after',
    );
    expect(runCrossRules(spec, { a: 1 })).toEqual([
      { subPath: [], message: 'validator threw Error' },
      { subPath: [], message: 'validator threw number' },
      { subPath: [], message: 'after' },
    ]);
  });
});
