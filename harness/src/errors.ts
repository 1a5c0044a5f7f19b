/**
 * The harness error registry: every failure the orchestrator reports on its
 * own (as opposed to a gate's verdict) has a stable code listed here and in
 * harness/README.md. The harness is tooling a repository runs on itself, so it
 * carries the Rampart brand and taxonomy without importing @rampart/core.
 */

/** The brand every Rampart error carries, whichever package created it. */
const RAMPART_ERROR = Symbol.for('rampart.error');

export const harnessErrors = {
  HARNESS_ERR_CONFIG_NOT_FOUND: { category: 'config', message: 'No harness.config.ts found' },
  HARNESS_ERR_CONFIG_INVALID: { category: 'config', message: 'harness.config.ts is not a valid harness config' },
  HARNESS_ERR_USAGE: { category: 'validation', message: 'Invalid command line' },
  HARNESS_ERR_GATE_MISSING: { category: 'config', message: 'A configured gate is not registered' },
  HARNESS_ERR_GATE_LOAD: { category: 'dependency', message: 'A gate module failed to load' },
  HARNESS_ERR_GATE_INVALID: { category: 'validation', message: 'A gate returned an invalid result' },
  HARNESS_ERR_UNKNOWN_COMMAND: { category: 'validation', message: 'No gate offers this command' },
  HARNESS_ERR_WORKSPACE_NAME_CLASH: { category: 'config', message: 'Two workspaces have the same name' },
  HARNESS_ERR_WORKSPACE_GLOB: { category: 'config', message: 'A workspaces entry uses a glob the harness does not read' },
  HARNESS_ERR_WORKSPACE_MISSING: { category: 'config', message: 'A workspaces entry names no package' },
} as const;

export type HarnessErrorCode = keyof typeof harnessErrors;

/**
 * An orchestrator failure with a stable `code` (see harness/README.md).
 * @example
 * throw new HarnessError('HARNESS_ERR_USAGE', '--only needs a gate name');
 */
export class HarnessError extends Error {
  readonly code: HarnessErrorCode;
  readonly category: string;
  readonly [RAMPART_ERROR] = true;

  constructor(code: HarnessErrorCode, detail?: string, options?: { cause?: unknown }) {
    const base = harnessErrors[code].message;
    super(detail === undefined ? base : `${base}: ${detail}`, options);
    this.name = 'HarnessError';
    this.code = code;
    this.category = harnessErrors[code].category;
  }
}

/**
 * True for a harness error from any installed copy of @rampart/harness.
 * @example
 * if (isHarnessError(err) && err.code === 'HARNESS_ERR_USAGE') process.exitCode = 2;
 */
export function isHarnessError(value: unknown): value is HarnessError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[RAMPART_ERROR] === true &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code.startsWith('HARNESS_ERR_')
  );
}

/** The message of anything thrown, for one-line reports. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
