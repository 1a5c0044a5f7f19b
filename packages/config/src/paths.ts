import type { Secret } from './secret.ts';

type Join<K extends string, P> = P extends string ? `${K}.${P}` : never;
type Depth = [never, 0, 1, 2, 3, 4, 5, 6, 7];

/**
 * Every dotted path into a resolved config type (stops at secrets and arrays).
 * @example type P = Paths<{ db: { port: number } }> // 'db' | 'db.port'
 */
export type Paths<T, D extends number = 8> = [D] extends [never]
  ? never
  : T extends Secret<unknown> | readonly unknown[]
    ? never
    : T extends object
      ? { [K in keyof T & string]: K | Join<K, Paths<NonNullable<T[K]>, Depth[D]>> }[keyof T & string]
      : never;

/**
 * The type at a dotted path (undefined when an optional parent may be absent).
 * @example type V = PathValue<{ db: { port: number } }, 'db.port'> // number
 */
export type PathValue<T, P extends string> = T extends undefined
  ? undefined
  : P extends `${infer K}.${infer Rest}`
    ? K extends keyof T
      ? PathValue<T[K], Rest>
      : never
    : P extends keyof T
      ? T[P]
      : never;
