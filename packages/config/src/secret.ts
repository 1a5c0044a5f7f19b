import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A value that must never be printed. Every way of turning it into text
 * (`String()`, template literals, `JSON.stringify`, `util.inspect`, `console.log`)
 * yields `[redacted]`; only an explicit `reveal()` returns the value.
 * @example
 * const password = new Secret('hunter2');
 * `${password}`        // '[redacted]'
 * password.reveal()    // 'hunter2'
 */
export class Secret<T = string> {
  // A private field, not a property: invisible to Object.keys, spread, structuredClone and inspect.
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
    Object.freeze(this);
  }

  /** The wrapped value. Call it at the point of use, never to log. */
  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }

  /**
   * True for a Secret from this or another installed copy of the package.
   * @example
   * Secret.isSecret(config.value.db.password) // true
   */
  static isSecret(value: unknown): value is Secret<unknown> {
    return value instanceof Secret || (typeof value === 'object' && value !== null && (value as { [SECRET_BRAND]?: unknown })[SECRET_BRAND] === true);
  }
}

const SECRET_BRAND = Symbol.for('rampart.secret');
Object.defineProperty(Secret.prototype, SECRET_BRAND, { value: true });

/** The text every secret renders as. */
export const REDACTED_TEXT = REDACTED;
