import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VAULT_ERRORS, VaultError, isVaultError } from './errors.ts';

const readme = readFileSync(resolve(import.meta.dirname, '../README.md'), 'utf8');

describe('error registry', () => {
  it('documents every code, with its category, in the README error table', () => {
    for (const [code, spec] of Object.entries(VAULT_ERRORS)) {
      expect(readme, code).toContain(`| \`${code}\` | ${spec.category} |`);
    }
    const documented = [...readme.matchAll(/^\| `(VAULT_ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(VAULT_ERRORS).sort());
  });

  it('builds errors with code, category, status, cause and a stable message', () => {
    const cause = new Error('root');
    const e = new VaultError('VAULT_ERR_KEY_STATE', 'version 3', { cause });
    expect([e.name, e.code, e.category, e.status, e.cause]).toEqual(['VaultError', 'VAULT_ERR_KEY_STATE', 'lifecycle', 500, cause]);
    expect(e.message).toBe('The keyring operation is not allowed in the key version current state: version 3');
    expect(new VaultError('VAULT_ERR_TAMPERED').message).toBe(VAULT_ERRORS.VAULT_ERR_TAMPERED.message);
    expect(e.toJSON()).toEqual({ name: 'VaultError', code: 'VAULT_ERR_KEY_STATE', category: 'lifecycle', status: 500, message: e.message });
  });

  it('recognises vault errors by brand and code, across package copies', () => {
    const foreign = { [Symbol.for('rampart.error')]: true, code: 'VAULT_ERR_TAMPERED' };
    expect(isVaultError(foreign)).toBe(true);
    expect(isVaultError(foreign, 'VAULT_ERR_TAMPERED')).toBe(true);
    expect(isVaultError(foreign, 'VAULT_ERR_STORAGE')).toBe(false);
    expect(isVaultError({ [Symbol.for('rampart.error')]: true, code: 'CORE_ERR_X' })).toBe(false);
    expect(isVaultError({ [Symbol.for('rampart.error')]: true, code: 42 })).toBe(false);
    expect(isVaultError({ code: 'VAULT_ERR_TAMPERED' })).toBe(false);
    expect(isVaultError(new Error('x'))).toBe(false);
    expect(isVaultError(null)).toBe(false);
    expect(isVaultError('VAULT_ERR_TAMPERED')).toBe(false);
  });
});
