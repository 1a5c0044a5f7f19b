/**
 * Regression: `.validate()` on an array field is typed with the resolved item
 * type (`t.array(t.string().secret())` → `readonly Secret<string>[]`), but the
 * rule ran on the raw items (plain strings), so a rule written to its type
 * (`keys.every((k) => k.reveal().length >= 8)`) threw and failed every load.
 * Object rules already saw their fields as typed; array rules now do too.
 */
import { describe, expect, it } from 'vitest';
import { t } from '../../src/builders.ts';
import { objectFeeder } from '../../src/feeders/object.ts';
import { loadConfig } from '../../src/load.ts';
import { defineSchema } from '../../src/schema.ts';
import { Secret } from '../../src/secret.ts';

describe('an array rule', () => {
  it('sees secret items as Secrets, as its type says, and still fails on a short one', async () => {
    const schema = defineSchema({ keys: t.array(t.string().secret()).validate((keys) => keys.every((k) => k.reveal().length >= 8), 'every key needs 8 characters') });
    const config = await loadConfig(schema, { feeders: [objectFeeder({ keys: ['12345678', 'abcdefghij'] })] });
    expect(config.value.keys.map((k) => k.reveal())).toEqual(['12345678', 'abcdefghij']);
    await expect(loadConfig(schema, { feeders: [objectFeeder({ keys: ['12345678', 'short'] })] })).rejects.toMatchObject({
      issues: [{ path: 'keys', kind: 'constraint', expected: 'every key needs 8 characters' }],
    });
  });

  it('sees items of objects holding a secret with that field wrapped', async () => {
    const seen: unknown[] = [];
    const schema = defineSchema({
      clients: t.array(t.object({ id: t.string(), key: t.string().secret() })).validate((clients) => {
        seen.push(...clients.map((c) => [c.id, c.key instanceof Secret, c.key.reveal()]));
        return true;
      }, 'unused'),
    });
    await loadConfig(schema, { feeders: [objectFeeder({ clients: [{ id: 'a', key: 'k1' }] })] });
    expect(seen).toEqual([['a', true, 'k1']]);
  });

  it('sees plain items of a secret array unwrapped (the field itself is wrapped only when resolved)', async () => {
    const seen: unknown[] = [];
    const schema = defineSchema({ pins: t.array(t.integer()).secret().validate((pins) => (seen.push([...pins]), true), 'unused') });
    const config = await loadConfig(schema, { feeders: [objectFeeder({ pins: ['1', 2] })] });
    expect(seen).toEqual([[1, 2]]);
    expect(config.value.pins).toBeInstanceOf(Secret);
  });
});
