import type { AnyField, InferField, InferShape, Shape } from './field.ts';
import type { Schema } from './schema.ts';

/**
 * The resolved TypeScript type of a schema or a field.
 * @example
 * const schema = defineSchema({ port: t.port().default(8080), token: t.string().secret() });
 * type AppConfig = Infer<typeof schema>; // { readonly port: number; readonly token: Secret<string> }
 */
export type Infer<S> = S extends Schema<infer Sh extends Shape> ? InferShape<Sh> : S extends AnyField ? InferField<S> : never;
