/**
 * Regression: `.default()` took the field's resolved type, in which every secret
 * is a `Secret` wrapper. So `t.array(t.string().secret()).default(['a'])` did not
 * compile (it asked for `readonly Secret<string>[]`), and the `[new Secret('a')]`
 * it asked for failed at defineSchema with CONFIG_ERR_SCHEMA, since a default is
 * checked, like a source's value, as a plain one. Same for an object with a
 * secret field. `.default()` now takes the plain value (`Revealed<T>`).
 *
 * The type assertions are checked by the typecheck gate (`tsc -p tsconfig.json`,
 * which includes packages/<name>/test): an `expectTypeOf` mismatch or an unused
 * `@ts-expect-error` is a compile error there. The runtime tests show the types
 * describe what defineSchema accepts and what the config resolves to.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { t } from '../../src/builders.ts';
import type { ConfigError } from '../../src/errors.ts';
import type { Revealed } from '../../src/field.ts';
import type { Infer } from '../../src/infer.ts';
import { loadConfig } from '../../src/load.ts';
import { defineSchema } from '../../src/schema.ts';
import { Secret } from '../../src/secret.ts';

const tokens = t.array(t.string().secret());
const clients = t.array(t.object({ id: t.string(), key: t.string().secret(), tag: t.string().optional() }));
const creds = t.object({ user: t.string(), pass: t.string().secret(), pins: t.array(t.integer().secret()) });

describe('the default of a field holding secrets', () => {
  it('is typed as the plain value, while the field still resolves to Secrets', () => {
    expectTypeOf(tokens).toHaveProperty('default').parameter(0).toEqualTypeOf<readonly string[]>();
    expectTypeOf(clients).toHaveProperty('default').parameter(0).toEqualTypeOf<readonly { readonly id: string; readonly key: string; readonly tag: string | undefined }[]>();
    expectTypeOf(creds).toHaveProperty('default').parameter(0).toEqualTypeOf<{ readonly user: string; readonly pass: string; readonly pins: readonly number[] }>();
    // A secret scalar's default was already plain, and stays so.
    expectTypeOf(t.string().secret()).toHaveProperty('default').parameter(0).toEqualTypeOf<string>();
    expectTypeOf<Infer<typeof tokens>>().toEqualTypeOf<readonly Secret<string>[]>();
    expectTypeOf<Infer<typeof creds>>().toEqualTypeOf<{ readonly user: string; readonly pass: Secret<string>; readonly pins: readonly Secret<number>[] }>();
    expectTypeOf<Revealed<Secret<readonly Secret<'a' | 'b'>[]> | undefined>>().toEqualTypeOf<readonly ('a' | 'b')[] | undefined>();
  });

  it('accepts plain values, which resolve to Secrets', async () => {
    const schema = defineSchema({
      tokens: tokens.default(['default-token']),
      clients: clients.default([{ id: 'a', key: 'client-key', tag: undefined }]),
      creds: creds.default({ user: 'u', pass: 'pw', pins: [1234] }),
    });
    const config = await loadConfig(schema, { feeders: [] });
    expect(config.value.tokens.map((s) => s.reveal())).toEqual(['default-token']);
    expect(config.value.clients[0]?.key.reveal()).toBe('client-key');
    expect(config.value.creds.pass.reveal()).toBe('pw');
    expect(config.value.creds.pins.map((s) => s.reveal())).toEqual([1234]);
  });

  it('refuses a Secret, at compile time as defineSchema does at run time', () => {
    // @ts-expect-error -- a default is the plain value: defineSchema checks it like a source's value
    const wrapped = tokens.default([new Secret('a')]);
    let error: ConfigError | undefined;
    try {
      defineSchema({ tokens: wrapped });
    } catch (thrown) {
      error = thrown as ConfigError;
    }
    expect([error?.code, error?.message]).toEqual(['CONFIG_ERR_SCHEMA', 'schema field "tokens": the default value does not satisfy the field type or its rules']);
  });
});
