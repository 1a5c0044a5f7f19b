import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HTTP_ERRORS } from './errors.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('error registry', () => {
  it.each(Object.entries(HTTP_ERRORS))('%s is documented in the README error table with its status and category', (code, spec) => {
    expect(readme).toContain(`| \`${code}\` | ${spec.status} | ${spec.category} |`);
  });

  it('every code carries the package prefix and a 4xx/5xx status', () => {
    for (const [code, spec] of Object.entries(HTTP_ERRORS)) {
      expect(code).toMatch(/^HTTP_ERR_[A-Z_]+$/);
      expect(spec.status).toBeGreaterThanOrEqual(400);
      expect(spec.status).toBeLessThanOrEqual(599);
    }
  });
});
