/**
 * The error taxonomy shared by every Rampart package. Users match on `code`
 * (stable, package-prefixed) or `category`, never on `instanceof`: the brand is
 * a `Symbol.for` key, so the check survives two installed copies of core, and a
 * package that must stay standalone (@rampart/config) can carry the same brand
 * and categories without importing core.
 */

import { thrownMessage } from './suggest.ts';

/** Well-known categories; any other string is a domain category (the taxonomy is open). */
export type ErrorCategory =
  | 'config'
  | 'validation'
  | 'dependency'
  | 'lifecycle'
  | 'security'
  | 'internal'
  | (string & {});

/** The brand every Rampart error carries, whichever copy of the package created it. */
export const RAMPART_ERROR: unique symbol = Symbol.for('rampart.error') as never;

export interface RampartErrorOptions {
  /** The error this one wraps; kept as the standard `cause` chain. */
  cause?: unknown;
  /** HTTP status that fits this error, when one applies. */
  status?: number;
  /** Structured, secret-free context (module names, chains, candidates). */
  details?: Readonly<Record<string, unknown>>;
}

/** The JSON form of an error: safe to log, no stack, causes flattened. */
export interface RampartErrorJSON {
  name: string;
  code: string;
  category: string;
  message: string;
  status?: number;
  details?: Readonly<Record<string, unknown>>;
  cause?: RampartErrorJSON | { name: string; message: string };
}

/**
 * Base class of every Rampart error: stable `code`, `category`, optional HTTP
 * `status`, structured `details`, standard `cause`.
 * @example
 * throw new RampartError('BILLING_ERR_LIMIT', 'Monthly limit reached', { category: 'billing', status: 402 });
 */
export class RampartError extends Error {
  readonly code: string;
  readonly category: ErrorCategory;
  readonly status: number | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly [RAMPART_ERROR] = true;

  constructor(code: string, message: string, options: RampartErrorOptions & { category: ErrorCategory }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.category = options.category;
    this.status = options.status;
    this.details = options.details === undefined ? undefined : Object.freeze({ ...options.details });
  }

  // No JSDoc here: the API report reads a documented toJSON as a changed line. Causes: see causeToJSON().
  toJSON(): RampartErrorJSON {
    serializing.add(this);
    try {
      return {
        name: this.name,
        code: this.code,
        category: this.category,
        message: this.message,
        ...(this.status === undefined ? {} : { status: this.status }),
        ...(this.details === undefined ? {} : { details: this.details }),
        ...(this.cause === undefined ? {} : { cause: causeToJSON(this.cause) }),
      };
    } finally {
      serializing.delete(this);
    }
  }
}

/** How many levels of `cause` toJSON() writes below an error; a deeper one is replaced by a marker. */
const MAX_CAUSE_DEPTH = 16;

// The errors whose toJSON() is running, outermost first. A cause's toJSON() calls
// back into this module (an override calling super.toJSON() too), so a Set here
// sees a cycle (a.cause = b, b.cause = a overflowed the stack, and the logger lost
// the error) and the depth, without a parameter the public toJSON() does not have.
const serializing = new Set<unknown>();

/** A cause for toJSON(): written up to 16 levels deep, then a `[Truncated: ...]` marker; one that loops back is `[Circular]`. */
function causeToJSON(cause: unknown): RampartErrorJSON | { name: string; message: string } {
  if (isRampartError(cause) && typeof (cause as { toJSON?: unknown }).toJSON === 'function') {
    if (serializing.has(cause)) return { name: cause.name, message: '[Circular]' };
    if (serializing.size > MAX_CAUSE_DEPTH) return { name: cause.name, message: `[Truncated: more than ${String(MAX_CAUSE_DEPTH)} causes]` };
    return cause.toJSON();
  }
  // thrownMessage(), not String(): a hook may throw an object without a prototype,
  // which String() throws on, and JSON.stringify of the error that wraps it threw.
  if (cause instanceof Error) return { name: cause.name, message: thrownMessage(cause) };
  return { name: typeof cause, message: thrownMessage(cause) };
}

type CategoryOptions = RampartErrorOptions & { category?: ErrorCategory };

/**
 * Configuration missing, malformed or failing validation.
 * @example
 * throw new ConfigError('APP_ERR_NO_PORT', 'port is required');
 */
export class ConfigError extends RampartError {
  constructor(code: string, message: string, options: CategoryOptions = {}) {
    super(code, message, { ...options, category: options.category ?? 'config' });
  }
}

/**
 * Input (a declaration, a request, an argument) that breaks a rule.
 * @example
 * throw new ValidationError('APP_ERR_BAD_EMAIL', 'email is not valid', { status: 400 });
 */
export class ValidationError extends RampartError {
  constructor(code: string, message: string, options: CategoryOptions = {}) {
    super(code, message, { ...options, category: options.category ?? 'validation' });
  }
}

/**
 * A module, service or external system that is missing, ambiguous or down.
 * @example
 * throw new DependencyError('APP_ERR_DB_DOWN', 'database unreachable', { status: 503, cause });
 */
export class DependencyError extends RampartError {
  constructor(code: string, message: string, options: CategoryOptions = {}) {
    super(code, message, { ...options, category: options.category ?? 'dependency' });
  }
}

/**
 * A state transition that is not allowed, or a hook that failed.
 * @example
 * throw new LifecycleError('APP_ERR_NOT_READY', 'not started yet');
 */
export class LifecycleError extends RampartError {
  constructor(code: string, message: string, options: CategoryOptions = {}) {
    super(code, message, { ...options, category: options.category ?? 'lifecycle' });
  }
}

/**
 * An isolation or trust boundary that was (or would have been) crossed.
 * @example
 * throw new SecurityError('APP_ERR_FORBIDDEN', 'tenant mismatch', { status: 403 });
 */
export class SecurityError extends RampartError {
  constructor(code: string, message: string, options: CategoryOptions = {}) {
    super(code, message, { ...options, category: options.category ?? 'security' });
  }
}

/**
 * True for any Rampart error, from any installed copy of any Rampart package.
 * @example
 * if (isRampartError(err) && err.code === 'CORE_ERR_CYCLE') console.error(err.details?.chain);
 */
export function isRampartError(value: unknown): value is RampartError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[RAMPART_ERROR] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

/**
 * Walks the `cause` chain (outermost first), stopping at loops.
 * @example
 * const root = causeChain(err).at(-1);
 */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && current !== null && !seen.has(current)) {
    chain.push(current);
    seen.add(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}
