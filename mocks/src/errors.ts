/**
 * Error registry of @rampart/mocks. Codes are stable: users match on `code`.
 */
const BRAND = Symbol.for('rampart.error');

export const MOCKS_ERRORS = {
  MOCKS_ERR_SERVICE_UNAVAILABLE: 'No real backing service could be reached or started',
  MOCKS_ERR_BAD_ARGUMENT: 'A test double was given an argument it cannot use',
} as const;

export type MocksErrorCode = keyof typeof MOCKS_ERRORS;

export class MocksError extends Error {
  readonly code: MocksErrorCode;
  readonly category = 'dependency';
  readonly [BRAND] = true;

  constructor(code: MocksErrorCode, detail: string, options?: { cause?: unknown }) {
    super(`${MOCKS_ERRORS[code]}: ${detail}`, options);
    this.name = 'MocksError';
    this.code = code;
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
