import { checkValue } from './coerce.ts';
import { ConfigError } from './errors.ts';
import type { CrossFieldValidator, FieldSpec, InferShape, Shape } from './field.ts';
import { baseSpec, Field } from './field.ts';

/** Options of {@link defineSchema}. */
export interface SchemaOptions<T> {
  /** Cross-field validators, run on the whole resolved value once every field is valid. */
  readonly validate?: readonly CrossFieldValidator<T>[];
}

/**
 * A module's configuration schema: its `shape` (nestable with `t.object(schema.shape)`
 * or `t.object(schema)`) and a root object field.
 * @example
 * const schema = defineSchema({ port: t.port().default(8080) });
 * schema.shape.port.spec.kind // 'port'
 */
export class Schema<Sh extends Shape> {
  readonly shape: Sh;
  readonly root: Field<InferShape<Sh>>;

  constructor(shape: Sh, root: Field<InferShape<Sh>>) {
    this.shape = shape;
    this.root = root;
    Object.freeze(this);
  }
}

// Keys that would reach Object.prototype through a naive merge; refused in schemas and sources alike.
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function schemaError(path: string, message: string): ConfigError {
  return new ConfigError('CONFIG_ERR_SCHEMA', { message: `schema field "${path}": ${message}`, details: { path } });
}

function checkKey(key: string, path: string): void {
  if (UNSAFE_KEYS.has(key)) throw schemaError(path, `"${key}" is a reserved key (prototype pollution)`);
  if (key === '' || key.includes('.')) throw schemaError(path, 'keys must be non-empty and contain no "."');
}

function checkDefault(spec: FieldSpec, path: string): void {
  if (!spec.hasDefault) return;
  const result = checkValue(spec, spec.defaultValue);
  if (!result.ok) throw schemaError(path, 'the default value does not satisfy the field type or its rules');
}

/** Throws CONFIG_ERR_SCHEMA for an unsafe key, an empty enum or an invalid default, anywhere in the tree. */
export function assertValidShape(shape: Shape, prefix: string): void {
  if (typeof shape !== 'object' || shape === null) throw schemaError(prefix || '(root)', 'a shape must be an object of fields');
  for (const [key, field] of Object.entries(shape)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    checkKey(key, path);
    if (!(field instanceof Field)) throw schemaError(path, 'not a field (build fields with t.*())');
    assertValidSpec(field.spec, path);
  }
}

function assertValidSpec(spec: FieldSpec, path: string): void {
  if (spec.kind === 'enum' && (spec.values ?? []).length === 0) throw schemaError(path, 'an enum needs at least one value');
  // Stryker disable next-line ConditionalExpression: a non-object spec has no shape, and an empty shape passes
  if (spec.kind === 'object') assertValidShape(spec.shape ?? {}, path);
  // Stryker disable next-line ConditionalExpression: only array specs carry an item
  if (spec.kind === 'array' && spec.item !== undefined) assertValidSpec(spec.item.spec, `${path}[]`);
  checkDefault(spec, path);
}

/**
 * Declares a configuration schema. Throws CONFIG_ERR_SCHEMA on a malformed shape
 * (reserved keys, invalid defaults), so mistakes surface at import time.
 * @example
 * const schema = defineSchema(
 *   { min: t.integer().default(1), max: t.integer().default(10) },
 *   { validate: [(c) => (c.min <= c.max ? undefined : { path: 'max', message: 'max must be >= min' })] },
 * );
 */
export function defineSchema<Sh extends Shape>(shape: Sh, options: SchemaOptions<InferShape<Sh>> = {}): Schema<Sh> {
  assertValidShape(shape, '');
  const root = new Field<InferShape<Sh>>(
    baseSpec('object', { shape: Object.freeze({ ...shape }), crossRules: [...(options.validate ?? [])] as never[] }),
  );
  return new Schema(shape, root);
}
