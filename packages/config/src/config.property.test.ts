import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from './builders.ts';
import { checkValue } from './coerce.ts';
import type { AnyField } from './field.ts';
import { envFeeder } from './feeders/env.ts';
import type { Layer } from './feeders/feeder.ts';
import { dotenvFeeder, jsonFeeder, yamlFeeder } from './feeders/files.ts';
import { objectFeeder } from './feeders/object.ts';
import { loadConfig } from './load.ts';
import { generateSample } from './sample.ts';
import { defineSchema } from './schema.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-config-prop-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const layerArb = fc.constantFrom<Layer>('base', { instance: 'w1' }, { instance: 'w2' }, { tenant: 'acme' });
const sourceArb = fc.record({ priority: fc.integer({ min: 0, max: 400 }), layer: layerArb, value: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }), env: fc.boolean() });

describe('precedence', () => {
  it('for any set of sources, the highest-precedence defined value wins and provenance names it', async () => {
    const schema = defineSchema({ x: t.integer().default(-1) });
    const rank = (layer: Layer) => (layer === 'base' ? 0 : 'instance' in layer ? 1 : 2);
    await fc.assert(
      fc.asyncProperty(fc.array(sourceArb, { maxLength: 6 }), fc.boolean(), async (sources, asTenant) => {
        const feeders = sources.map((s, i) =>
          s.env
            ? envFeeder({ env: s.value === undefined ? {} : { X: String(s.value) }, priority: s.priority, layer: s.layer })
            : objectFeeder(s.value === undefined ? {} : { x: s.value }, { priority: s.priority, layer: s.layer, source: `src${i}` }),
        );
        const loaded = await loadConfig(schema, { feeders, instance: 'w1', tenants: ['acme'] });
        const config = asTenant ? loaded.forTenant('acme') : loaded;
        const applicable = sources
          .map((s, i) => ({ ...s, i }))
          .filter((s) => s.value !== undefined)
          .filter((s) => s.layer === 'base' || ('instance' in s.layer ? s.layer.instance === 'w1' : asTenant))
          .sort((a, b) => rank(a.layer) - rank(b.layer) || a.priority - b.priority || a.i - b.i);
        const winner = applicable[applicable.length - 1];
        expect(config.value.x).toBe(winner?.value ?? -1);
        const record = config.explain('x');
        if (winner === undefined) expect(record.feeder).toBe('default');
        else {
          expect(record.source).toBe(winner.env ? 'env' : `src${winner.i}`);
          expect(record.priority).toBe(winner.priority);
          expect(record.overridden).toHaveLength(applicable.length - 1);
        }
      }),
      { numRuns: 60 },
    );
  });
});

const leafArb: fc.Arbitrary<{ field: AnyField; expected: unknown }> = fc.oneof(
  fc.string({ maxLength: 12 }).map((v) => ({ field: t.string().default(v), expected: v })),
  fc.integer({ min: -1e6, max: 1e6 }).map((v) => ({ field: t.integer().default(v), expected: v })),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((v) => ({ field: t.number().default(v), expected: v })),
  fc.boolean().map((v) => ({ field: t.boolean().default(v), expected: v })),
  fc.integer({ min: 0, max: 65_535 }).map((v) => ({ field: t.port().default(v), expected: v })),
  fc.integer({ min: 0, max: 10 ** 9 }).map((v) => ({ field: t.duration().default(v), expected: v })),
  fc.integer({ min: 0, max: 2 ** 40 }).map((v) => ({ field: t.size().default(v), expected: v })),
  fc.constantFrom('a', 'b', 'c').map((v) => ({ field: t.enum(['a', 'b', 'c']).default(v), expected: v })),
  fc.array(fc.integer({ min: 0, max: 99 }), { maxLength: 4 }).map((v) => ({ field: t.array(t.integer()).default(v), expected: v })),
  fc.constant({ field: t.url(), expected: 'https://example.com' }),
  fc.constant({ field: t.integer(), expected: 0 }),
  fc.constant({ field: t.string().optional(), expected: undefined }),
);
const keyArb = fc.stringMatching(/^[a-z][a-zA-Z]{0,6}$/);

describe('generateSample', () => {
  it('round trip: generateSample → load → the same values (yaml, json, env)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(keyArb, leafArb, { minKeys: 1, maxKeys: 6 }), fc.constantFrom('yaml', 'json', 'env'), async (leaves, format) => {
        const shape = Object.fromEntries(Object.entries(leaves).map(([k, v]) => [k, v.field]));
        const schema = defineSchema({ nested: t.object(shape) });
        const path = join(dir, `rt${(run += 1)}.${format}`);
        await writeFile(path, generateSample(schema, format, { prefix: 'S_' }));
        const feeder = format === 'yaml' ? yamlFeeder(path) : format === 'json' ? jsonFeeder(path) : dotenvFeeder(path, { prefix: 'S_' });
        const config = await loadConfig(schema, { feeders: [feeder] });
        expect(config.value.nested).toEqual(Object.fromEntries(Object.entries(leaves).map(([k, v]) => [k, v.expected])));
      }),
      { numRuns: 60 },
    );
  });

  it('.env round trip holds for any string default, control characters and every quote included', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.oneof(fc.constantFrom("'", '"', '`', '\\', '\n', '\r', '#', ' ', '=', '$'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 16 }), async (value) => {
        const schema = defineSchema({ v: t.string().default(value) });
        const path = join(dir, `env${(run += 1)}.env`);
        await writeFile(path, generateSample(schema, 'env'));
        const config = await loadConfig(schema, { feeders: [dotenvFeeder(path)] });
        expect(config.value.v).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});

const kinds = { string: t.string(), number: t.number(), integer: t.integer(), boolean: t.boolean(), port: t.port(), duration: t.duration(), size: t.size(), url: t.url(), enum: t.enum(['x', 'y']), array: t.array(t.port()) };
const holds: Record<keyof typeof kinds, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  integer: (v) => Number.isSafeInteger(v),
  boolean: (v) => typeof v === 'boolean',
  port: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65_535,
  duration: (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0,
  size: (v) => Number.isSafeInteger(v) && (v as number) >= 0,
  url: (v) => typeof v === 'string' && URL.canParse(v),
  enum: (v) => v === 'x' || v === 'y',
  array: (v) => Array.isArray(v) && v.every((i) => Number.isInteger(i) && i >= 0 && i <= 65_535),
};
const rawArb = fc.oneof(
  fc.anything(),
  fc.string(),
  fc.stringMatching(/^-?\d{1,6}(\.\d{1,3})?(ms|s|m|h|kb|mb|b)?$/),
  fc.constantFrom('true', 'off', 'x', 'y', '', '[1,2]', '1,70000', 'https://a.b', '1e400', 'NaN', 'Infinity'),
  fc.double(),
);

describe('validation', () => {
  it('never accepts a value that violates its declared type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(kinds) as (keyof typeof kinds)[])), rawArb, (kind, raw) => {
        const result = checkValue(kinds[kind].spec, raw);
        if (result.ok) expect(holds[kind](result.value)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
