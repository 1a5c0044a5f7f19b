/**
 * Type-level inference from JSON Schema literals: declare a schema `as const`
 * (or through `defineRoute`'s `const` type parameter) and the handler sees
 * typed params, query, body and headers. Covers the keywords APIs use daily
 * (type, properties, required, items, enum, const, anyOf/oneOf, nullable
 * type arrays); anything else widens to `unknown` instead of lying.
 */

/** A JSON Schema object (draft 2020-12 / OpenAPI 3.1 dialect). */
export type JsonSchema = Readonly<Record<string, unknown>>;

type Primitive<T> = T extends 'string'
  ? string
  : T extends 'number' | 'integer'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'null'
        ? null
        : never;

type Required<S> = S extends { readonly required: readonly (infer K)[] } ? K & string : never;

type Props<S> = S extends { readonly properties: infer P } ? P : Record<never, never>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ObjectOf<S> = Simplify<
  { -readonly [K in keyof Props<S> as K extends Required<S> ? K : never]: FromSchema<Props<S>[K]> } & {
    -readonly [K in keyof Props<S> as K extends Required<S> ? never : K]?: FromSchema<Props<S>[K]>;
  } & (S extends { readonly properties: unknown } ? unknown : Record<string, unknown>)
>;

type ByType<S, T> = T extends 'object'
  ? ObjectOf<S>
  : T extends 'array'
    ? S extends { readonly items: infer I }
      ? FromSchema<I>[]
      : unknown[]
    : Primitive<T>;

/**
 * The TypeScript type a JSON Schema literal describes.
 * @example
 * const user = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } as const;
 * type User = FromSchema<typeof user>; // { name: string }
 */
export type FromSchema<S> = unknown extends S
  ? unknown
  : S extends { readonly const: infer C }
    ? C
    : S extends { readonly enum: readonly (infer E)[] }
      ? E
      : S extends { readonly anyOf: readonly (infer A)[] }
        ? FromSchema<A>
        : S extends { readonly oneOf: readonly (infer A)[] }
          ? FromSchema<A>
          : S extends { readonly type: readonly (infer T)[] }
            ? ByType<S, T>
            : S extends { readonly type: infer T }
              ? ByType<S, T>
              : S extends { readonly properties: unknown }
                ? ObjectOf<S>
                : unknown;
