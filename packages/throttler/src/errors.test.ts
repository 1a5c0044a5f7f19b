import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isThrottleError, THROTTLE_ERRORS, ThrottleError } from './errors.ts';

describe('error registry', () => {
  it('documents every code in the README error table, with its category', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const [code, spec] of Object.entries(THROTTLE_ERRORS)) {
      expect(readme).toMatch(new RegExp(`\\| \`${code}\` \\| ${spec.category} \\|`));
    }
    const documented = [...readme.matchAll(/\| `(THROTTLE_ERR_[A-Z_]+)` \|/g)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(THROTTLE_ERRORS).sort());
  });

  it('carries code, category, status, cause and a message with the detail', () => {
    const cause = new Error('ECONNREFUSED');
    const err = new ThrottleError('THROTTLE_ERR_STORE_DOWN', 'redis at 127.0.0.1:6399', { cause });
    expect([err.name, err.code, err.category, err.status, err.cause, err.message]).toEqual([
      'ThrottleError',
      'THROTTLE_ERR_STORE_DOWN',
      'dependency',
      503,
      cause,
      'The rate-limit store is unavailable: redis at 127.0.0.1:6399',
    ]);
    const bare = new ThrottleError('THROTTLE_ERR_CLOSED');
    expect([bare.message, bare.status]).toEqual(['The throttler is closed', undefined]);
  });

  it('recognises errors by brand, not instanceof, so two installed copies agree', () => {
    const foreign = Object.assign(new Error('x'), { code: 'THROTTLE_ERR_CLOSED', [Symbol.for('rampart.error')]: true });
    expect(isThrottleError(foreign)).toBe(true);
    expect(isThrottleError(new ThrottleError('THROTTLE_ERR_CLOSED'))).toBe(true);
    expect(isThrottleError(Object.assign(new Error('x'), { code: 'VAULT_ERR_TAMPERED', [Symbol.for('rampart.error')]: true }))).toBe(false);
    expect(isThrottleError(Object.assign(new Error('x'), { code: 42, [Symbol.for('rampart.error')]: true }))).toBe(false);
    expect(isThrottleError(Object.assign(new Error('x'), { code: 'THROTTLE_ERR_CLOSED' }))).toBe(false);
    expect([isThrottleError(null), isThrottleError('THROTTLE_ERR_CLOSED')]).toEqual([false, false]);
  });
});
