/**
 * Regression: defineSchema checked a default with checkValue (which coerces it
 * and fills an object's missing fields from their own defaults) but resolved
 * the default as written. The same value then resolved differently from a
 * source and from the default: an array item's optional `port` with a default
 * was 80 from a source and undefined from the default, and a duration default
 * written as text stayed a string.
 */
import { describe, expect, it } from 'vitest';
import { t } from '../../src/builders.ts';
import { defaultOf } from '../../src/coerce.ts';
import { objectFeeder } from '../../src/feeders/object.ts';
import { loadConfig } from '../../src/load.ts';
import { compile } from '../../src/plan.ts';
import { defineSchema } from '../../src/schema.ts';

const item = t.object({ host: t.string(), port: t.port().default(80).optional() });

describe('a default resolves as the same value from a source would', () => {
  it('fills an array item default with its fields’ own defaults', async () => {
    const schema = defineSchema({ backends: t.array(item).default([{ host: 'a', port: undefined }]) });
    const fromDefault = await loadConfig(schema, { feeders: [] });
    const fromSource = await loadConfig(schema, { feeders: [objectFeeder({ backends: [{ host: 'a' }] })] });
    expect(fromDefault.value.backends).toEqual([{ host: 'a', port: 80 }]);
    expect(fromDefault.value.backends).toEqual(fromSource.value.backends);
    expect(fromDefault.explain('backends').value).toEqual([{ host: 'a', port: 80 }]);
  });

  it('coerces a duration default written as text, and an array default nested in an object default', async () => {
    const schema = defineSchema({
      timeout: t.duration().default('30s' as never),
      pool: t.object({ hosts: t.array(t.object({ w: t.integer().default(1) })) }).default({ hosts: [{}] } as never),
    });
    const config = await loadConfig(schema, { feeders: [] });
    expect(config.value.timeout).toBe(30_000);
    expect(config.value.pool.hosts).toEqual([{ w: 1 }]);
  });

  it('fills a missing field of an array item from the default of an array nested in it', async () => {
    const schema = defineSchema({ groups: t.array(t.object({ tags: t.array(t.string()).default(['x']) })) });
    const config = await loadConfig(schema, { feeders: [objectFeeder({ groups: [{}] })] });
    expect(config.value.groups).toEqual([{ tags: ['x'] }]);
  });

  it('keeps a default as written when it does not check (a spec compiled without defineSchema)', () => {
    const bad = t.integer().default('many' as never).spec;
    expect(defaultOf(bad)).toBe('many');
    // t.object() checks its shape, so the root spec is built by hand.
    const plan = compile({ ...t.object({}).spec, shape: { n: t.integer().default('many' as never) } });
    expect(plan.nodes.get('n')).toMatchObject({ type: 'leaf', hasDefault: true, defaultValue: 'many' });
    // An object default kept as written passes each field what it holds, and nothing for a field it lacks.
    const section = compile({ ...t.object({}).spec, shape: { o: t.object({ a: t.integer(), b: t.integer() }).default({ a: 'x' } as never) } });
    expect(section.nodes.get('o.a')).toMatchObject({ hasDefault: true, defaultValue: 'x' });
    expect(section.nodes.get('o.b')).toMatchObject({ hasDefault: false, defaultValue: undefined });
  });
});
