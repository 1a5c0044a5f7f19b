/**
 * Regression: a cross-field validator that threw had its error message copied
 * into the issue, while field rules keep only the error's class. A rule that
 * parses a revealed secret (`JSON.parse(c.creds.reveal())`) printed the secret.
 */
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { t } from '../../src/builders.ts';
import { objectFeeder } from '../../src/feeders/object.ts';
import { loadConfig } from '../../src/load.ts';
import { defineSchema } from '../../src/schema.ts';
import { rejection } from './support.ts';

const SECRET = 'hunter2-s3cr3t';
const parsesCreds = (c: { readonly creds: { reveal(): string } }): undefined => {
  JSON.parse(c.creds.reveal());
  return undefined;
};
const schema = defineSchema({ creds: t.string().secret().dynamic(), inner: t.object(defineSchema({ creds: t.string().secret().default('{}') }, { validate: [parsesCreds] })) }, { validate: [parsesCreds] });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a throwing cross-field rule', () => {
  it('is reported by its error class only, at load, for the root and a nested schema', async () => {
    const error = await rejection(loadConfig(schema, { feeders: [objectFeeder({ creds: SECRET, inner: { creds: SECRET } })] }));
    expect(error.code).toBe('CONFIG_ERR_VALIDATION');
    expect(error.issues.map((i) => [i.path, i.kind, i.message])).toEqual([['inner', 'cross-field', 'inner: validator threw SyntaxError (from schema rule)']]);
    const root = await rejection(loadConfig(schema, { feeders: [objectFeeder({ creds: SECRET })] }));
    expect(root.issues.map((i) => i.message)).toEqual(['(root): validator threw SyntaxError (from schema rule)']);
    for (const output of [error.message, error.stack ?? '', inspect(error, { depth: 10 }), JSON.stringify(error.issues), inspect(root, { depth: 10 })]) {
      expect(output).not.toContain(SECRET);
    }
  });

  it('is reported by its error class only on reload, in the rejection and in the process warning', async () => {
    let creds = '{}';
    const config = await loadConfig(schema, { feeders: [objectFeeder(() => ({ creds }))] });
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    creds = SECRET;
    const error = await rejection(config.reload());
    expect(error.issues.map((i) => i.message)).toEqual(['(root): validator threw SyntaxError (from schema rule)']);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(inspect(warn.mock.calls, { depth: 10 })).not.toContain(SECRET);
    expect(inspect(error, { depth: 10 })).not.toContain(SECRET);
  });
});
