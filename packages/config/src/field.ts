import type { Secret } from './secret.ts';

/** The kinds of value a field can hold. */
export type FieldKind =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'enum'
  | 'duration'
  | 'size'
  | 'url'
  | 'port'
  | 'array'
  | 'object';

/** A field-level rule: returns true when the value is acceptable. */
export interface FieldRule {
  readonly check: (value: never) => boolean;
  readonly message: string;
}

/** What a cross-field validator may report: a message for the whole object, or issues at paths. */
export type CrossFieldResult = void | undefined | string | CrossFieldIssue | readonly CrossFieldIssue[];

/** A cross-field problem at a dotted path relative to the object being validated. */
export interface CrossFieldIssue {
  readonly path: string;
  readonly message: string;
}

/** A cross-field validator over a whole object value. */
export type CrossFieldValidator<T> = (value: T) => CrossFieldResult;

/** Everything a field declares; immutable. */
export interface FieldSpec {
  readonly kind: FieldKind;
  readonly description: string | undefined;
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  readonly optional: boolean;
  readonly secret: boolean;
  readonly dynamic: boolean;
  readonly rules: readonly FieldRule[];
  readonly crossRules: readonly CrossFieldValidator<never>[];
  readonly values: readonly string[] | undefined;
  readonly item: AnyField | undefined;
  readonly shape: Shape | undefined;
}

/** Any field, whatever it resolves to. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widest field type must accept every T
export type AnyField = Field<any, boolean, boolean>;

/** The fields of an object or schema, by key. */
export interface Shape {
  readonly [key: string]: AnyField;
}

/** The resolved type of one field: `Secret<T>` when secret, `| undefined` when optional without default. */
export type InferField<F> =
  F extends Field<infer T, infer O, infer S> ? (S extends true ? Secret<T> : T) | (O extends true ? undefined : never) : never;

/** The resolved, read-only type of an object shape. */
export type InferShape<Sh extends Shape> = { readonly [K in keyof Sh]: InferField<Sh[K]> };

/**
 * A resolved type with every {@link Secret} replaced by the plain value it holds, at any
 * depth: the type of a default. A default is checked like a source's value, before
 * secrets are wrapped, so a field resolving to `readonly Secret<string>[]` takes a
 * `readonly string[]` default (a Secret in it would fail the check).
 * @example
 * type Raw = Revealed<readonly Secret<string>[]>; // readonly string[]
 * t.array(t.string().secret()).default(['token'])
 */
export type Revealed<T> =
  T extends Secret<infer V> ? Revealed<V> : T extends readonly (infer I)[] ? readonly Revealed<I>[] : T extends object ? { readonly [K in keyof T]: Revealed<T[K]> } : T;

/**
 * One schema field. Immutable: every method returns a new field.
 * `T` is the resolved type, `O` whether it may be undefined, `S` whether it is secret.
 * @example
 * const port = t.port().default(8080).describe('HTTP listen port').dynamic();
 */
export class Field<T, O extends boolean = false, S extends boolean = false> {
  readonly spec: FieldSpec;
  // Type-only marker so T, O and S take part in structural typing; never present at runtime.
  declare readonly __type?: { value: T; optional: O; secret: S };

  constructor(spec: FieldSpec) {
    this.spec = Object.freeze(spec);
    Object.freeze(this);
  }

  /**
   * Value used when no source supplies one; makes the field not optional. Secrets in it
   * are written as plain values (see {@link Revealed}): they are wrapped when resolved.
   * @example t.integer().default(10)
   */
  default(value: Revealed<T>): Field<T, false, S> {
    return new Field({ ...this.spec, hasDefault: true, defaultValue: value, optional: false });
  }

  /**
   * The field may stay unset (resolves to undefined) instead of blocking start.
   * @example t.url().optional()
   */
  optional(): Field<T, true, S> {
    return new Field({ ...this.spec, optional: true });
  }

  /**
   * Human-readable description, shown in samples, errors and provenance.
   * @example t.string().describe('Database host name')
   */
  describe(text: string): Field<T, O, S> {
    return new Field({ ...this.spec, description: text });
  }

  /**
   * Marks the value secret: it resolves to a {@link Secret} and is redacted in every output.
   * @example t.string().secret()
   */
  secret(): Field<T, O, true> {
    return new Field({ ...this.spec, secret: true });
  }

  /**
   * Marks the field changeable at runtime: a reload applies it instead of reporting "restart required".
   * @example t.integer().default(100).dynamic()
   */
  dynamic(): Field<T, O, S> {
    return new Field({ ...this.spec, dynamic: true });
  }

  /**
   * Adds a rule; a value for which `check` returns false is reported with `message`.
   * @example t.integer().validate((n) => n % 2 === 0, 'must be even')
   */
  validate(check: (value: T) => boolean, message: string): Field<T, O, S> {
    return new Field({ ...this.spec, rules: [...this.spec.rules, { check, message }] });
  }
}

/** A field spec with every marker at its neutral value. */
export function baseSpec(kind: FieldKind, extra: Partial<FieldSpec> = {}): FieldSpec {
  return {
    kind,
    description: undefined,
    hasDefault: false,
    defaultValue: undefined,
    optional: false,
    secret: false,
    dynamic: false,
    rules: [],
    // Stryker disable next-line ArrayDeclaration: only object specs run crossRules, and both object builders pass their own list
    crossRules: [],
    values: undefined,
    item: undefined,
    shape: undefined,
    ...extra,
  };
}
