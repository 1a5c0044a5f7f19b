/**
 * Regression: the number grammar (`\d+\.?\d*`) backtracked quadratically on a long
 * digit run that does not parse: 40k digits and a letter in an env variable took
 * ~1.4 s to refuse, 100k about 9 s, all of it blocking the event loop during a
 * load or a reload. The grammar is now linear; the answers are unchanged.
 */
import { describe, expect, it } from 'vitest';
import { t } from '../../src/builders.ts';
import { checkValue } from '../../src/coerce.ts';
import { envFeeder } from '../../src/feeders/env.ts';
import { loadConfig } from '../../src/load.ts';
import { defineSchema } from '../../src/schema.ts';
import { rejection } from './support.ts';

const DIGITS = '1'.repeat(100_000);

/** Milliseconds `run` takes. */
function timed(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

// Not a benchmark: the linear grammar answers each input below in about a millisecond and the
// quadratic one took seconds, so 1 s only catches the quadratic case, even on a loaded CI machine.
const LINEAR_BOUND_MS = 1_000;

describe('number text of 100k characters', () => {
  it.each([
    ['digits then a letter', `${DIGITS}x`],
    ['digits, a fraction, then a letter', `${DIGITS}.${DIGITS}x`],
    ['an exponent of digits then a letter', `1e${DIGITS}x`],
  ])('refuses %s as a type failure, in linear time', (_, text) => {
    let result: unknown;
    const ms = timed(() => {
      result = checkValue(t.number().spec, text);
    });
    expect(result).toEqual({ ok: false, failures: [{ subPath: [], kind: 'type', expected: 'number', got: text }] });
    expect(ms).toBeLessThan(LINEAR_BOUND_MS);
  });

  it('still parses a long well-formed number, and refuses one that overflows to Infinity', () => {
    expect(checkValue(t.integer().spec, `${'0'.repeat(99_999)}7`)).toEqual({ ok: true, value: 7 });
    expect(checkValue(t.number().spec, DIGITS)).toMatchObject({ ok: false });
  });

  it('fails the load with CONFIG_ERR_VALIDATION naming the variable, never quoting 100k characters', async () => {
    const schema = defineSchema({ port: t.port().default(80) });
    const error = await rejection(loadConfig(schema, { feeders: [envFeeder({ env: { PORT: `${DIGITS}x` } })] }));
    expect(error.code).toBe('CONFIG_ERR_VALIDATION');
    expect(error.issues.map((i) => [i.path, i.kind, i.source])).toEqual([['port', 'type', 'env PORT']]);
    expect(error.message.length).toBeLessThan(300);
  });
});
