/**
 * L2 contract of @rampart/config: defaults of optional sections and of fields
 * holding secrets. An optional object with a declared default resolves to that
 * default when no source mentions it (as an optional field with a default
 * does), and a default of a field holding secrets is written as plain values
 * (the `Revealed<T>` form), wrapped in `Secret` when resolved.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineSchema, loadConfig, objectFeeder, Secret, t } from '@rampart/config';
import type { Revealed } from '@rampart/config';

describe('@rampart/config L2: defaults', () => {
  it('an optional section with a default resolves to it, explained as a default', async () => {
    const schema = defineSchema({ tls: t.object({ cert: t.string(), port: t.port() }).default({ cert: 'c.pem', port: 443 }).optional() });
    const config = await loadConfig(schema, { feeders: [] });
    expect(config.value.tls).toEqual({ cert: 'c.pem', port: 443 });
    expect(config.explain('tls.port')).toMatchObject({ value: 443, feeder: 'default' });
  });

  it('an optional section without a default stays absent', async () => {
    const schema = defineSchema({ tls: t.object({ cert: t.string() }).optional() });
    expect((await loadConfig(schema, { feeders: [] })).value.tls).toBeUndefined();
  });

  it('a source overrides the fields of a defaulted optional section one by one', async () => {
    const schema = defineSchema({ tls: t.object({ cert: t.string(), port: t.port() }).default({ cert: 'c.pem', port: 443 }).optional() });
    const config = await loadConfig(schema, { feeders: [objectFeeder({ tls: { port: 8443 } })] });
    expect(config.value.tls).toEqual({ cert: 'c.pem', port: 8443 });
  });

  it('defaults of secret items and secret fields are plain values, resolved as Secrets', async () => {
    const schema = defineSchema({
      tokens: t.array(t.string().secret()).default(['t1', 't2']),
      db: t.object({ user: t.string(), pass: t.string().secret() }).default({ user: 'app', pass: 'pw' }),
    });
    const config = await loadConfig(schema, { feeders: [] });
    expect(config.value.tokens.map((s) => [s instanceof Secret, s.reveal()])).toEqual([[true, 't1'], [true, 't2']]);
    expect(config.value.db.pass.reveal()).toBe('pw');
    expect(JSON.stringify(config.value)).not.toContain('pw');
    expectTypeOf<Revealed<readonly Secret<string>[]>>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<Revealed<{ readonly pass: Secret<string>; readonly n: number }>>().toEqualTypeOf<{ readonly pass: string; readonly n: number }>();
  });
});
