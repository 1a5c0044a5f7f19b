/**
 * Audit: a duration with a fractional number of a unit (`2.3h`, `2.2d`) parsed to
 * 8279999.999999999 / 190080000.00000003 ms: the fraction was multiplied in
 * floating point. Operators write such values; the result must be the exact
 * whole number of milliseconds, in parseDuration and through a load.
 */
import { describe, expect, it } from 'vitest';
import { t } from './builders.ts';
import { envFeeder } from './feeders/env.ts';
import { loadConfig } from './load.ts';
import { defineSchema } from './schema.ts';
import { formatDuration, parseDuration } from './units.ts';

describe('fractional durations', () => {
  it.each([
    ['2.3h', 8_280_000],
    ['2.2d', 190_080_000],
    ['1.1s', 1_100],
    ['0.3w', 181_440_000],
    ['1h 2.3m', 3_738_000],
    ['1.5ms', 1.5],
  ])('parseDuration(%j) is exactly %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('loads `2.3h` from env as 8_280_000 ms, shown as 138m', async () => {
    const schema = defineSchema({ ttl: t.duration() });
    const config = await loadConfig(schema, { feeders: [envFeeder({ env: { TTL: '2.3h' } })] });
    expect(config.value.ttl).toBe(8_280_000);
    expect(formatDuration(config.value.ttl)).toBe('138m');
  });
});
