import { describe, expect, it } from 'vitest';
import { MOCKS_ERRORS, MocksError, ServiceUnavailableError } from './errors.ts';

describe('mocks errors', () => {
  it('carry a stable code, its category, the Rampart brand and the cause', () => {
    const cause = new Error('low level');
    const error = new MocksError('MOCKS_ERR_BAD_ARGUMENT', 'seed must be an integer', { cause });
    expect(error.message).toBe('A test double was given an argument it cannot use: seed must be an integer');
    expect(error.name).toBe('MocksError');
    expect(error.code).toBe('MOCKS_ERR_BAD_ARGUMENT');
    // Was 'dependency' for every code: a bad argument is the caller's fault, not the environment's.
    expect([error.category, new MocksError('MOCKS_ERR_SERVICE_UNAVAILABLE', 'x').category]).toEqual(['validation', 'dependency']);
    expect(error.cause).toBe(cause);
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for('rampart.error')]).toBe(true);
  });

  it('ServiceUnavailableError lists every reason', () => {
    const error = new ServiceUnavailableError('redis', ['env: REDIS_URL is not set', 'local: no script']);
    expect(error).toBeInstanceOf(MocksError);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.service).toBe('redis');
    expect(error.reasons).toEqual(['env: REDIS_URL is not set', 'local: no script']);
    expect(error.message).toBe('No real backing service could be reached or started: redis: env: REDIS_URL is not set; local: no script');
  });

  it('documents every code in the README error table', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(MOCKS_ERRORS)) expect(readme).toContain(`| \`${code}\` |`);
    expect(Object.keys(MOCKS_ERRORS)).toEqual(['MOCKS_ERR_SERVICE_UNAVAILABLE', 'MOCKS_ERR_BAD_ARGUMENT']);
  });
});
