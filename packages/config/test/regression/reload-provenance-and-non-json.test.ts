/**
 * Regressions found by an audit (2026-12-06): provenance kept a source that no
 * longer supplied a value after a reload, and a BigInt (or symbol, function)
 * in an overridden source made the load throw a raw TypeError.
 */
import { describe, expect, it } from 'vitest';
import { t } from '../../src/builders.ts';
import { isConfigError } from '../../src/errors.ts';
import { objectFeeder } from '../../src/feeders/object.ts';
import { loadConfig } from '../../src/load.ts';
import { defineSchema } from '../../src/schema.ts';

describe('provenance after reload, and values provenance cannot write as JSON', () => {
  // README "Provenance": explain() describes the config as it is. Before the fix an unchanged-value reload kept the old records (feeder 'object').
  it('provenance follows the source after a reload that changes no value', async () => {
    const schema = defineSchema({ level: t.enum(['debug', 'info']).default('info').dynamic() });
    const state: { values: Record<string, unknown> } = { values: { level: 'info' } };
    const config = await loadConfig(schema, { feeders: [objectFeeder(() => state.values)] });
    expect(config.explain('level').feeder).toBe('object');
    state.values = {};
    await config.reload();
    expect(config.explain('level')).toMatchObject({ feeder: 'default', source: 'schema', value: 'info' });
  });

  // Before the fix a mixed (dynamic + restart-required) reload refreshed only the changed dynamic fields' records; a held-back field keeps the record of the value it keeps.
  it('provenance of unchanged fields is refreshed by a mixed reload', async () => {
    const schema = defineSchema({
      level: t.enum(['debug', 'info']).default('info').dynamic(),
      other: t.integer().default(1).dynamic(),
      port: t.port().default(1),
    });
    const state: { values: Record<string, unknown> } = { values: { level: 'info' } };
    const config = await loadConfig(schema, { feeders: [objectFeeder(() => state.values)] });
    state.values = { other: 2, port: 2 };
    const result = await config.reload();
    expect(result.restartRequired.map((c) => c.path)).toEqual(['port']);
    expect(config.explain('other').feeder).toBe('object');
    expect(config.explain('level')).toMatchObject({ feeder: 'default', value: 'info' });
    expect([config.value.port, config.explain('port').feeder]).toEqual([1, 'default']);
  });

  // README "Errors": every error is a ConfigError. Before the fix displayValue's JSON.stringify of the overridden BigInt threw a raw TypeError.
  it('a non-JSON value in an overridden source does not escape as a raw TypeError', async () => {
    const schema = defineSchema({ n: t.integer() });
    const outcome = await loadConfig(schema, {
      feeders: [objectFeeder({ n: 10n }, { priority: 1 }), objectFeeder({ n: 5 })],
    }).then(
      (config) => config.value.n,
      (error: unknown) => (isConfigError(error) ? error.code : `raw ${(error as Error).name}`),
    );
    expect(outcome).toBe(5);
    const config = await loadConfig(defineSchema({ n: t.integer() }), { feeders: [objectFeeder({ n: Symbol('s') }, { priority: 1 }), objectFeeder({ n: 5 })] });
    expect(config.explain('n').overridden).toMatchObject([{ value: '<symbol>' }]);
  });
});
