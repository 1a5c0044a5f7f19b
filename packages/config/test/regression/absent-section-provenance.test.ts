/**
 * Regression: for a field under an optional object that no source supplied,
 * provenance recorded the field's schema default (`explain('tls.port')` said
 * feeder `default`, value 443) while `config.value.tls` was undefined. Such a
 * field is now reported like an optional field nobody set: feeder `unset`, no value.
 */
import { describe, expect, it } from 'vitest';
import { t } from '../../src/builders.ts';
import { objectFeeder } from '../../src/feeders/object.ts';
import { loadConfig } from '../../src/load.ts';
import { formatProvenance } from '../../src/provenance.ts';
import { defineSchema } from '../../src/schema.ts';
import { unset, byDefault, programmatic, source } from './records.ts';

describe('provenance of fields under an absent optional object', () => {
  const schema = defineSchema({
    name: t.string().default('app'),
    tls: t.object({
      cert: t.string(),
      port: t.port().default(443).describe('TLS port'),
      key: t.string().secret().default('k'),
      limits: t.object({ handshakeMs: t.duration().default(5_000) }),
    }).optional(),
  });

  it('explain() reports a defaulted field as unset while the section is absent', async () => {
    const config = await loadConfig(schema, { feeders: [] });
    expect(config.value.tls).toBeUndefined();
    expect(config.explain('tls.port')).toEqual(unset('tls.port', { description: 'TLS port' }));
    expect(config.explain('tls.key')).toEqual(unset('tls.key', { secret: true }));
    // A field of a nested (non-optional) object inside the absent section is absent too.
    expect(config.explain('tls.limits.handshakeMs')).toEqual(unset('tls.limits.handshakeMs'));
  });

  it('provenance() lists every field of the absent section as unset, and the defaults once a source supplies it', async () => {
    const config = await loadConfig(schema, { feeders: [] });
    expect(config.provenance()).toEqual([
      byDefault('name', 'app'),
      unset('tls.cert'),
      unset('tls.port', { description: 'TLS port' }),
      unset('tls.key', { secret: true }),
      unset('tls.limits.handshakeMs'),
    ]);
    expect(formatProvenance(config.provenance()).split('\n').slice(2)).toEqual([
      'name                    "app"       default  schema  name                    default',
      'tls.cert                nothing     unset    none    tls.cert                none',
      'tls.port                nothing     unset    none    tls.port                none',
      'tls.key                 [redacted]  unset    none    tls.key                 none',
      'tls.limits.handshakeMs  nothing     unset    none    tls.limits.handshakeMs  none',
    ]);
    const present = await loadConfig(schema, { feeders: [objectFeeder({ tls: { cert: 'c' } })] });
    expect(present.value.tls).toMatchObject({ cert: 'c', port: 443, limits: { handshakeMs: 5_000 } });
    expect(present.provenance()).toEqual([
      byDefault('name', 'app'),
      programmatic('tls.cert', 'c'),
      { ...byDefault('tls.port', 443), description: 'TLS port' },
      { ...byDefault('tls.key', '[redacted]'), secret: true },
      byDefault('tls.limits.handshakeMs', 5_000),
    ]);
  });

  it('flips with a dynamic section that appears and disappears on reload', async () => {
    const dynamicTls = defineSchema({ tls: t.object({ cert: t.string(), port: t.port().default(443) }).optional().dynamic() });
    const { state, feeder } = source({});
    const config = await loadConfig(dynamicTls, { feeders: [feeder] });
    expect(config.provenance()).toEqual([unset('tls.cert', { dynamic: true }), unset('tls.port', { dynamic: true })]);
    state.values = { tls: { cert: 'c' } };
    expect((await config.reload()).applied.map((c) => c.path)).toEqual(['tls.cert', 'tls.port']);
    expect(config.value.tls).toEqual({ cert: 'c', port: 443 });
    expect(config.provenance()).toEqual([programmatic('tls.cert', 'c', { dynamic: true }), byDefault('tls.port', 443, { dynamic: true })]);
    state.values = {};
    expect((await config.reload()).applied.map((c) => c.path)).toEqual(['tls.cert', 'tls.port']);
    expect(config.value.tls).toBeUndefined();
    expect(config.provenance()).toEqual([unset('tls.cert', { dynamic: true }), unset('tls.port', { dynamic: true })]);
  });

  it('follows the value in force while a static section waits for a restart', async () => {
    const mixed = defineSchema({ level: t.string().default('info').dynamic(), tls: t.object({ cert: t.string(), port: t.port().default(443) }).optional() });
    const appearing = source({});
    const config = await loadConfig(mixed, { feeders: [appearing.feeder] });
    appearing.state.values = { level: 'debug', tls: { cert: 'c' } };
    const result = await config.reload();
    expect(result.applied.map((c) => c.path)).toEqual(['level']);
    expect(result.restartRequired.map((c) => c.path)).toEqual(['tls.cert', 'tls.port']);
    expect(config.value).toEqual({ level: 'debug', tls: undefined });
    expect(config.provenance()).toEqual([programmatic('level', 'debug', { dynamic: true }), unset('tls.cert'), unset('tls.port')]);

    const disappearing = source({ tls: { cert: 'c' } });
    const kept = await loadConfig(mixed, { feeders: [disappearing.feeder] });
    disappearing.state.values = { level: 'debug' };
    expect((await kept.reload()).restartRequired.map((c) => c.path)).toEqual(['tls.cert', 'tls.port']);
    expect(kept.value).toEqual({ level: 'debug', tls: { cert: 'c', port: 443 } });
    expect(kept.provenance()).toEqual([programmatic('level', 'debug', { dynamic: true }), programmatic('tls.cert', 'c'), byDefault('tls.port', 443)]);
  });
});
