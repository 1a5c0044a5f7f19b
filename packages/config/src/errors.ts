/**
 * The one error registry of @rampart/config. Codes are stable API: users match
 * on `code`, never on message text, and a retired code is never reused.
 */

/** Error categories shared with the core taxonomy (kept as strings: config must not depend on core). */
export type ErrorCategory = 'config' | 'validation' | 'dependency' | 'lifecycle' | 'security';

interface CodeSpec {
  readonly message: string;
  readonly category: ErrorCategory;
}

/** Every code @rampart/config can raise, with its default message and category. */
export const CONFIG_ERRORS = {
  CONFIG_ERR_VALIDATION: { message: 'configuration is invalid', category: 'config' },
  CONFIG_ERR_SCHEMA: { message: 'schema definition is invalid', category: 'config' },
  CONFIG_ERR_OPTIONS: { message: 'loadConfig options are invalid', category: 'config' },
  CONFIG_ERR_SOURCE_MISSING: { message: 'a required configuration source is unavailable', category: 'config' },
  CONFIG_ERR_SOURCE_READ: { message: 'a configuration source could not be read', category: 'dependency' },
  CONFIG_ERR_PARSE: { message: 'a configuration source could not be parsed', category: 'config' },
  CONFIG_ERR_UNSAFE_KEY: { message: 'a configuration source contains a prototype-polluting key', category: 'security' },
  CONFIG_ERR_FEEDER: { message: 'a feeder failed or returned malformed data', category: 'dependency' },
  CONFIG_ERR_UNKNOWN_PATH: { message: 'no such field in the schema', category: 'validation' },
  CONFIG_ERR_UNKNOWN_TENANT: { message: 'no such tenant', category: 'validation' },
  CONFIG_ERR_CLOSED: { message: 'the config is closed', category: 'lifecycle' },
  CONFIG_ERR_LISTENER: { message: 'a config listener threw', category: 'lifecycle' },
  CONFIG_ERR_WATCH: { message: 'watching a configuration file failed', category: 'dependency' },
  CONFIG_ERR_SAMPLE_FORMAT: { message: 'unknown sample format', category: 'validation' },
} as const satisfies Record<string, CodeSpec>;

/** A stable @rampart/config error code. */
export type ConfigErrorCode = keyof typeof CONFIG_ERRORS;

/** One problem found while validating: where, what was expected, what arrived, and from where. */
export interface ConfigIssue {
  /** Dotted field path (`db.port`), or `(root)` for a whole-schema rule. */
  readonly path: string;
  /** `required`, `type` (value of the wrong type), `constraint` (a custom validator), `cross-field`. */
  readonly kind: 'required' | 'type' | 'constraint' | 'cross-field';
  /** What the schema wanted, e.g. `integer`, `port (integer 0-65535)`. */
  readonly expected: string;
  /** What arrived, rendered for humans; `[redacted]` for a secret field. */
  readonly got: string;
  /** The source that supplied the bad value (`env APP_DB__PORT`, `yaml ./app.yaml#db.port`, `default`). */
  readonly source: string;
  /** Which layer supplied it: `base`, `instance:<id>`, `tenant:<id>` or `default`. */
  readonly layer: string;
  /** One human-readable line. */
  readonly message: string;
}

const BRAND = Symbol.for('rampart.error');

/** Options of a {@link ConfigError} beyond its code. */
export interface ConfigErrorOptions {
  readonly message?: string;
  readonly issues?: readonly ConfigIssue[];
  readonly cause?: unknown;
  /** Structured, secret-free context (a file path, a tenant id). */
  readonly details?: Readonly<Record<string, string | number>>;
}

/**
 * Every error @rampart/config throws. Branded with `Symbol.for('rampart.error')`
 * so checks survive two installed copies of the package.
 * @example
 * try { await loadConfig(schema) } catch (err) {
 *   if (isConfigError(err) && err.code === 'CONFIG_ERR_VALIDATION') console.error(err.issues);
 * }
 */
export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  readonly category: ErrorCategory;
  /** Config errors are operator problems, never a client's: no HTTP status applies. */
  readonly status: number | undefined = undefined;
  readonly issues: readonly ConfigIssue[];
  readonly details: Readonly<Record<string, string | number>>;

  constructor(code: ConfigErrorCode, options: ConfigErrorOptions = {}) {
    const spec = CONFIG_ERRORS[code];
    super(options.message ?? spec.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConfigError';
    this.code = code;
    this.category = spec.category;
    this.issues = Object.freeze([...(options.issues ?? [])]);
    this.details = Object.freeze({ ...options.details });
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * True for any @rampart/config error, even one from another installed copy.
 * @example
 * if (isConfigError(err)) console.error(err.code);
 */
export function isConfigError(value: unknown): value is ConfigError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code.startsWith('CONFIG_ERR_')
  );
}

/** Builds the multi-line message of an aggregated validation error: one line per issue. */
export function validationError(issues: readonly ConfigIssue[]): ConfigError {
  const lines = issues.map((issue) => `  - ${issue.message}`);
  const message = `configuration is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
  return new ConfigError('CONFIG_ERR_VALIDATION', { message, issues });
}
