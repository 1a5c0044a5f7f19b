import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError, harnessErrors, isHarnessError, messageOf } from './errors.ts';

describe('harness errors', () => {
  it('documents every code in harness/README.md', () => {
    const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
    for (const [code, { category }] of Object.entries(harnessErrors)) {
      expect(readme).toMatch(new RegExp(`\\| \`${code}\` \\| ${category} \\|`));
    }
  });

  it('carries a stable code, category, message and cause, and the Rampart brand', () => {
    const cause = new Error('ENOENT');
    const error = new HarnessError('HARNESS_ERR_GATE_LOAD', 'gate "x"', { cause });
    expect(error).toMatchObject({ name: 'HarnessError', code: 'HARNESS_ERR_GATE_LOAD', category: 'dependency', cause });
    expect(error.message).toBe('A gate module failed to load: gate "x"');
    expect(new HarnessError('HARNESS_ERR_USAGE').message).toBe('Invalid command line');
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for('rampart.error')]).toBe(true);
  });

  it('recognises harness errors from another copy by brand and prefix only', () => {
    const foreign = { [Symbol.for('rampart.error')]: true, code: 'HARNESS_ERR_USAGE' };
    expect(isHarnessError(foreign)).toBe(true);
    expect(isHarnessError({ [Symbol.for('rampart.error')]: true, code: 'VAULT_ERR_TAMPERED' })).toBe(false);
    expect(isHarnessError({ code: 'HARNESS_ERR_USAGE' })).toBe(false);
    expect(isHarnessError({ [Symbol.for('rampart.error')]: true, code: 7 })).toBe(false);
    expect(isHarnessError(null)).toBe(false);
    expect(isHarnessError('HARNESS_ERR_USAGE')).toBe(false);
  });

  it('gives a message for anything thrown', () => {
    expect(messageOf(new Error('x'))).toBe('x');
    expect(messageOf(42)).toBe('42');
  });
});
