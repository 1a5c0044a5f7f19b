import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_ERRORS, ConfigError, isConfigError, validationError } from './errors.ts';

describe('ConfigError', () => {
  it('carries code, category, details, issues and cause', () => {
    const cause = new Error('root');
    const error = new ConfigError('CONFIG_ERR_SOURCE_READ', { cause, details: { source: 'a.yaml' } });
    expect(error.code).toBe('CONFIG_ERR_SOURCE_READ');
    expect(error.category).toBe('dependency');
    expect(error.message).toBe('a configuration source could not be read');
    expect(error.status).toBeUndefined();
    expect(error.details).toEqual({ source: 'a.yaml' });
    expect(error.issues).toEqual([]);
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('ConfigError');
    expect(error).toBeInstanceOf(Error);
  });

  it('has no cause property when none is given', () => {
    expect(Object.hasOwn(new ConfigError('CONFIG_ERR_CLOSED'), 'cause')).toBe(false);
  });

  it('is recognized through the cross-copy brand, not instanceof', () => {
    const foreign = Object.assign(new Error('x'), { code: 'CONFIG_ERR_CLOSED', [Symbol.for('rampart.error')]: true });
    expect(isConfigError(foreign)).toBe(true);
    expect(isConfigError(new ConfigError('CONFIG_ERR_CLOSED'))).toBe(true);
    expect(isConfigError(Object.assign(new Error('x'), { code: 'CONFIG_ERR_CLOSED' }))).toBe(false);
    expect(isConfigError(Object.assign(new Error('x'), { code: 'VAULT_ERR_X', [Symbol.for('rampart.error')]: true }))).toBe(false);
    expect(isConfigError(Object.assign(new Error('x'), { code: 1, [Symbol.for('rampart.error')]: true }))).toBe(false);
    expect(isConfigError(null)).toBe(false);
    expect(isConfigError('CONFIG_ERR_CLOSED')).toBe(false);
    // Only objects count, not a function that happens to carry the brand and a code.
    expect(isConfigError(Object.assign(() => undefined, { code: 'CONFIG_ERR_CLOSED', [Symbol.for('rampart.error')]: true }))).toBe(false);
  });

  it('aggregates issues into one message with a line per issue', () => {
    const issue = { path: 'a', kind: 'type', expected: 'integer', got: '"x"', source: 'env A', layer: 'base', message: 'a: expected integer, got "x" (from env A)' } as const;
    const one = validationError([issue]);
    expect(one.message).toBe('configuration is invalid (1 problem):\n  - a: expected integer, got "x" (from env A)');
    expect(validationError([issue, { ...issue, message: 'b' }]).message).toBe(
      'configuration is invalid (2 problems):\n  - a: expected integer, got "x" (from env A)\n  - b',
    );
    expect(one.issues).toEqual([issue]);
    expect(Object.isFrozen(one.issues)).toBe(true);
  });

  it('documents every code in the package README error table', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const [code, spec] of Object.entries(CONFIG_ERRORS)) {
      expect(readme, code).toContain(`| \`${code}\` | ${spec.category} |`);
    }
  });
});
