/**
 * Error registry of @rampart/mocks. Codes are stable: users match on `code`.
 */
const BRAND = Symbol.for('rampart.error');

export const MOCKS_ERRORS = {
  MOCKS_ERR_SERVICE_UNAVAILABLE: 'No real backing service could be reached or started',
  MOCKS_ERR_BAD_ARGUMENT: 'A test double was given an argument it cannot use',
} as const;

export type MocksErrorCode = keyof typeof MOCKS_ERRORS;

// The Rampart taxonomy's category of each code: a service that cannot be had is
// the environment's fault (dependency), an argument a double cannot use is the caller's (validation).
const CATEGORIES = {
  MOCKS_ERR_SERVICE_UNAVAILABLE: 'dependency',
  MOCKS_ERR_BAD_ARGUMENT: 'validation',
} as const satisfies Record<MocksErrorCode, string>;

export class MocksError extends Error {
  readonly code: MocksErrorCode;
  /** `dependency` for MOCKS_ERR_SERVICE_UNAVAILABLE, `validation` for MOCKS_ERR_BAD_ARGUMENT. */
  readonly category: 'dependency' | 'validation';
  readonly [BRAND] = true;

  constructor(code: MocksErrorCode, detail: string, options?: { cause?: unknown }) {
    super(`${MOCKS_ERRORS[code]}: ${detail}`, options);
    this.name = 'MocksError';
    this.code = code;
    this.category = CATEGORIES[code];
  }
}

/** Thrown by `withRedis()` / `withPostgres()` when every strategy failed; `reasons` says why each did. */
export class ServiceUnavailableError extends MocksError {
  readonly service: string;
  readonly reasons: readonly string[];

  constructor(service: string, reasons: readonly string[]) {
    super('MOCKS_ERR_SERVICE_UNAVAILABLE', `${service}: ${reasons.join('; ')}`);
    this.name = 'ServiceUnavailableError';
    this.service = service;
    this.reasons = reasons;
  }
}
