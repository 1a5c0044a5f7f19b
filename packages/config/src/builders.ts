import type { AnyField, InferField, InferShape, Shape } from './field.ts';
import { baseSpec, Field } from './field.ts';
import { assertValidShape, Schema } from './schema.ts';

function array<I extends AnyField>(item: I): Field<readonly InferField<I>[]> {
  return new Field(baseSpec('array', { item }));
}

function object<Sh extends Shape>(shapeOrSchema: Sh | Schema<Sh>): Field<InferShape<Sh>> {
  const schema = shapeOrSchema instanceof Schema ? shapeOrSchema : undefined;
  const shape = schema === undefined ? (shapeOrSchema as Sh) : schema.shape;
  assertValidShape(shape, '');
  // A nested schema keeps its cross-field validators: they run on the nested object value.
  const crossRules = schema === undefined ? [] : schema.root.spec.crossRules;
  return new Field(baseSpec('object', { shape: Object.freeze({ ...shape }), crossRules }));
}

function enumOf<const V extends readonly [string, ...string[]]>(values: V): Field<V[number]> {
  return new Field(baseSpec('enum', { values: Object.freeze([...values]) }));
}

/**
 * Field builders. Every field is immutable and chainable:
 * `.default(v) .optional() .describe(text) .secret() .dynamic() .validate(fn, message)`.
 * @example
 * const schema = defineSchema({
 *   db: t.object({
 *     host: t.string().default('localhost').describe('Database host'),
 *     port: t.port().default(5432),
 *     password: t.string().secret(),
 *   }),
 *   level: t.enum(['debug', 'info', 'warn']).default('info').dynamic(),
 *   timeout: t.duration().default(30_000), // accepts '30s', '1m', ...
 *   bodyLimit: t.size().default(1_048_576), // accepts '1mb', ...
 *   origins: t.array(t.url()).default([]),
 * });
 */
export const t = Object.freeze({
  /** Text, taken as is. */
  string: (): Field<string> => new Field(baseSpec('string')),
  /** A finite number; text such as `1.5` or `2e3` is coerced. */
  number: (): Field<number> => new Field(baseSpec('number')),
  /** A safe integer; text is coerced. */
  integer: (): Field<number> => new Field(baseSpec('integer')),
  /** true/false; text `true/false/1/0/yes/no/on/off` is coerced. */
  boolean: (): Field<boolean> => new Field(baseSpec('boolean')),
  /** One of the given strings. */
  enum: enumOf,
  /** Milliseconds; text such as `500ms`, `30s`, `1h30m` is parsed. */
  duration: (): Field<number> => new Field(baseSpec('duration')),
  /** Bytes; text such as `512b`, `64kb`, `10mb` (binary multiples) is parsed. */
  size: (): Field<number> => new Field(baseSpec('size')),
  /** A string that parses as an absolute URL (kept as written). */
  url: (): Field<string> => new Field(baseSpec('url')),
  /** A TCP/UDP port, integer 0-65535. */
  port: (): Field<number> => new Field(baseSpec('port')),
  /** An array of items; from text, JSON (`["a"]`) or comma-separated (`a,b`). */
  array,
  /** A nested object from a shape, or from another schema (its cross-field validators kept). */
  object,
});
