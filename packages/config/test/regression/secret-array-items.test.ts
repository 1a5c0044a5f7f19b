/**
 * Regression: a field was redacted only when it, or an object above it, was
 * marked secret. `t.array(t.string().secret())` resolves to Secrets, but its
 * raw values showed in provenance, validation errors, reload changes and samples.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { t } from '../../src/builders.ts';
import { envFeeder } from '../../src/feeders/env.ts';
import { objectFeeder } from '../../src/feeders/object.ts';
import { loadConfig } from '../../src/load.ts';
import { formatProvenance } from '../../src/provenance.ts';
import { generateSample } from '../../src/sample.ts';
import { defineSchema } from '../../src/schema.ts';
import { Secret } from '../../src/secret.ts';
import { rejection } from './support.ts';

const schema = defineSchema({
  tokens: t.array(t.string().secret()).dynamic(),
  clients: t.array(t.object({ id: t.string(), key: t.string().secret() })).default([]),
  name: t.string().default('app'),
});

describe('a field holding secret items', () => {
  it('is redacted in explain(), provenance (winner and overridden) and the table', async () => {
    const config = await loadConfig(schema, {
      feeders: [objectFeeder({ tokens: ['old-token'] }, { priority: 1 }), envFeeder({ env: { TOKENS: 'abc-token,def-token', CLIENTS: '[{"id":"a","key":"client-key"}]' } })],
    });
    expect(config.explain('tokens')).toMatchObject({ value: '[redacted]', secret: true, key: 'TOKENS', overridden: [{ value: '[redacted]' }] });
    expect(config.explain('clients')).toMatchObject({ value: '[redacted]', secret: true });
    expect(config.explain('name')).toMatchObject({ value: 'app', secret: false });
    const outputs = [JSON.stringify(config.provenance()), formatProvenance(config.provenance()), inspect(config.provenance(), { depth: 10 })];
    for (const output of outputs) for (const secret of ['abc-token', 'def-token', 'old-token', 'client-key']) expect(output).not.toContain(secret);
    expect((config.value.tokens[1] as Secret).reveal()).toBe('def-token');
  });

  it('is redacted in validation errors, for a bad item and for a failing array rule', async () => {
    const typed = defineSchema({
      pins: t.array(t.integer().secret()),
      keys: t.array(t.string().secret()).validate((keys) => keys.length > 5, 'needs more than five keys'),
    });
    const error = await rejection(loadConfig(typed, { feeders: [envFeeder({ env: { PINS: '987654,hunter2', KEYS: 'hunter3' } })] }));
    expect(error.issues.map((i) => [i.path, i.kind, i.got])).toEqual([
      ['pins.1', 'type', '[redacted]'],
      ['keys', 'constraint', '[redacted]'],
    ]);
    for (const output of [error.message, inspect(error, { depth: 10 }), JSON.stringify(error.issues)]) {
      expect(output).not.toContain('hunter2');
      expect(output).not.toContain('hunter3');
    }
  });

  it('is wrapped in reload changes', async () => {
    let tokens = 'first-token';
    const config = await loadConfig(schema, { feeders: [envFeeder({ env: { get TOKENS() { return tokens; } } })] });
    tokens = 'second-token';
    const result = await config.reload();
    expect(result.applied.map((c) => [c.path, Secret.isSecret(c.previous), Secret.isSecret(c.next)])).toEqual([['tokens', true, true]]);
    expect((result.applied[0]?.next as Secret<readonly string[]>).reveal()).toEqual(['second-token']);
    const printed = [JSON.stringify(result), inspect(result, { depth: 10 })].join('\n');
    expect(printed).not.toContain('first-token');
    expect(printed).not.toContain('second-token');
  });

  it('keeps its default out of samples, commented out like any secret default', () => {
    // Raw items, as the default is checked and wrapped like a source value (the declared type says Secret items).
    const sampled = defineSchema({ tokens: t.array(t.string().secret()).default(['default-token']) });
    for (const format of ['yaml', 'json', 'env'] as const) expect(generateSample(sampled, format)).not.toContain('default-token');
    expect(generateSample(sampled, 'yaml')).toBe('# type: array of string · default: [redacted] · secret\n# tokens: []\n');
  });
});
