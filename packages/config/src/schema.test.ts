import { describe, expect, it } from 'vitest';
import { t } from './builders.ts';
import type { ConfigError } from './errors.ts';
import { baseSpec, Field } from './field.ts';
import { defineSchema, Schema } from './schema.ts';

function schemaError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected CONFIG_ERR_SCHEMA');
}

describe('fields', () => {
  it('are immutable: every marker returns a new field', () => {
    const base = t.integer();
    const marked = base.default(3).describe('d').secret().dynamic().validate((n) => n > 0, 'positive');
    expect(base.spec).toEqual(t.integer().spec);
    expect(marked.spec).toMatchObject({ kind: 'integer', hasDefault: true, defaultValue: 3, description: 'd', secret: true, dynamic: true, optional: false });
    expect(marked.spec.rules.map((r) => r.message)).toEqual(['positive']);
    expect(Object.isFrozen(marked)).toBe(true);
    expect(Object.isFrozen(marked.spec)).toBe(true);
  });

  it('default() clears optional(); optional() keeps a default', () => {
    expect(t.string().optional().default('x').spec.optional).toBe(false);
    expect(t.string().default('x').optional().spec).toMatchObject({ optional: true, hasDefault: true });
  });
});

describe('defineSchema', () => {
  it('exposes the shape and a root object field, nestable with t.object', () => {
    const inner = defineSchema({ port: t.port().default(1) }, { validate: [() => undefined] });
    expect(inner).toBeInstanceOf(Schema);
    expect(inner.shape.port.spec.kind).toBe('port');
    expect(inner.root.spec.kind).toBe('object');
    expect(inner.root.spec.crossRules).toHaveLength(1);
    expect(t.object(inner).spec.crossRules).toHaveLength(1);
    expect(t.object(inner.shape).spec.crossRules).toHaveLength(0);
    expect(t.object(inner).spec.shape).toEqual(inner.shape);
    expect(Object.isFrozen(inner)).toBe(true);
  });

  it('names the full dotted path, in the message and details, of a bad field deep in a hand-built object', () => {
    const handBuilt = new Field(baseSpec('object', { shape: { inner: new Field(baseSpec('object', { shape: { bad: 'x' as never } })) } }));
    const error = schemaError(() => defineSchema({ outer: handBuilt }));
    expect([error.code, error.message, error.details]).toEqual(['CONFIG_ERR_SCHEMA', 'schema field "outer.inner.bad": not a field (build fields with t.*())', { path: 'outer.inner.bad' }]);
  });

  it('refuses a shape that is not an object, even a string', () => {
    expect(schemaError(() => defineSchema('abc' as never)).message).toBe('schema field "(root)": a shape must be an object of fields');
  });

  it('checks the item of an array only when there is one', () => {
    expect(Object.keys(defineSchema({ list: t.array(undefined as never) }).shape)).toEqual(['list']);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the reserved key %s', (key) => {
    const shape = JSON.parse(`{"${key}": 1}`) as Record<string, unknown>;
    shape[key] = t.string();
    const error = schemaError(() => defineSchema(shape as never));
    expect(error.code).toBe('CONFIG_ERR_SCHEMA');
    expect(error.message).toBe(`schema field "${key}": "${key}" is a reserved key (prototype pollution)`);
  });

  it('refuses reserved keys nested in objects and in t.object itself', () => {
    const nested = JSON.parse('{"constructor": 1}') as Record<string, unknown>;
    Reflect.set(nested, 'constructor', t.string());
    expect(schemaError(() => defineSchema({ db: t.object(nested as never) })).code).toBe('CONFIG_ERR_SCHEMA');
    expect(schemaError(() => t.object(nested as never)).message).toBe('schema field "constructor": "constructor" is a reserved key (prototype pollution)');
  });

  it('refuses dotted or empty keys, non-fields, empty enums and invalid defaults', () => {
    expect(schemaError(() => defineSchema({ 'a.b': t.string() })).message).toBe('schema field "a.b": keys must be non-empty and contain no "."');
    expect(schemaError(() => defineSchema({ '': t.string() })).code).toBe('CONFIG_ERR_SCHEMA');
    expect(schemaError(() => defineSchema({ a: 'x' } as never)).message).toBe('schema field "a": not a field (build fields with t.*())');
    expect(schemaError(() => defineSchema({ e: t.enum([] as unknown as ['a']) })).message).toBe('schema field "e": an enum needs at least one value');
    // A hand-built enum spec without values is refused the same way (checkValue relies on it).
    expect(schemaError(() => defineSchema({ e: new Field(baseSpec('enum')) })).message).toBe('schema field "e": an enum needs at least one value');
    expect(schemaError(() => defineSchema({ p: t.port().default(70_000) })).message).toBe(
      'schema field "p": the default value does not satisfy the field type or its rules',
    );
    expect(schemaError(() => defineSchema({ n: t.integer().validate((n) => n > 5, 'big').default(1) })).code).toBe('CONFIG_ERR_SCHEMA');
    expect(schemaError(() => defineSchema({ l: t.array(t.port().default(70_000)) })).message).toContain('"l[]"');
    expect(schemaError(() => defineSchema(null as never)).message).toBe('schema field "(root)": a shape must be an object of fields');
  });

  it('accepts valid defaults of every kind', () => {
    const schema = defineSchema({
      d: t.duration().default(1000),
      s: t.size().default(1024),
      l: t.array(t.string()).default(['a']),
      o: t.object({ a: t.integer() }).default({ a: 1 }),
    });
    expect(Object.keys(schema.shape)).toEqual(['d', 's', 'l', 'o']);
    expect(schema.shape.d).toBeInstanceOf(Field);
  });
});
