/**
 * Regression: when a reload changed dynamic and non-dynamic fields together,
 * only the dynamic leaves were copied onto the old value. A dynamic field in an
 * optional section that appeared brought the section without its required
 * fields (`tls: { cert: undefined, lvl: 2 }`), and one in a section that
 * disappeared left a section of undefined fields behind.
 */
import { describe, expect, it } from 'vitest';
import { t } from '../../src/builders.ts';
import { loadConfig } from '../../src/load.ts';
import { defineSchema } from '../../src/schema.ts';
import { source } from './records.ts';

describe('reload of an optional section that appears or disappears', () => {
  const schema = defineSchema({ tls: t.object({ cert: t.string(), lvl: t.integer().default(1).dynamic() }).optional() });

  it('holds back a non-dynamic section that appears, with its dynamic fields, as restart-required', async () => {
    const { state, feeder } = source({});
    const config = await loadConfig(schema, { feeders: [feeder] });
    state.values = { tls: { cert: 'c', lvl: 2 } };
    const result = await config.reload();
    expect(result).toEqual({
      applied: [],
      restartRequired: [
        { path: 'tls.cert', previous: undefined, next: 'c', dynamic: false, tenant: undefined },
        { path: 'tls.lvl', previous: undefined, next: 2, dynamic: false, tenant: undefined },
      ],
    });
    expect(config.value).toEqual({ tls: undefined });
  });

  it('holds back a non-dynamic section that disappears, with its dynamic fields, as restart-required', async () => {
    const { state, feeder } = source({ tls: { cert: 'c', lvl: 2 } });
    const config = await loadConfig(schema, { feeders: [feeder] });
    state.values = {};
    const result = await config.reload();
    expect(result.applied).toEqual([]);
    expect(result.restartRequired.map((c) => [c.path, c.previous, c.next, c.dynamic])).toEqual([
      ['tls.cert', 'c', undefined, false],
      ['tls.lvl', 2, undefined, false],
    ]);
    expect(config.value).toEqual({ tls: { cert: 'c', lvl: 2 } });
    // Inside a section present on both sides, the dynamic field is applied as before.
    state.values = { tls: { cert: 'c', lvl: 3 } };
    expect((await config.reload()).applied.map((c) => [c.path, c.next, c.dynamic])).toEqual([['tls.lvl', 3, true]]);
    expect(config.value).toEqual({ tls: { cert: 'c', lvl: 3 } });
  });

  it('applies a dynamic section whole, appearing or disappearing, beside a held-back change', async () => {
    const dynamicTls = defineSchema({ port: t.port().default(80), tls: t.object({ cert: t.string(), lvl: t.integer().default(1) }).optional().dynamic() });
    const { state, feeder } = source({});
    const config = await loadConfig(dynamicTls, { feeders: [feeder] });
    state.values = { port: 81, tls: { cert: 'c' } };
    const appeared = await config.reload();
    expect(appeared.applied.map((c) => c.path)).toEqual(['tls.cert', 'tls.lvl']);
    expect(appeared.restartRequired.map((c) => c.path)).toEqual(['port']);
    expect(config.value).toEqual({ port: 80, tls: { cert: 'c', lvl: 1 } });
    state.values = { port: 81 };
    const gone = await config.reload();
    expect(gone.applied.map((c) => c.path)).toEqual(['tls.cert', 'tls.lvl']);
    expect(config.value).toEqual({ port: 80, tls: undefined });
    expect(config.explain('tls.cert')).toMatchObject({ feeder: 'unset', value: undefined });
  });
});
