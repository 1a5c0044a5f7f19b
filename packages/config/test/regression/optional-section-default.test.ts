/**
 * Regression: an optional object with a declared default
 * (`t.object({...}).default({...}).optional()`, or an optional object that an
 * enclosing object's default sets) resolved to undefined when no source mentioned
 * it: the default was ignored and provenance said `unset`, while an optional field
 * keeps its default. Reload saw the section appear, so its dynamic fields waited
 * for a restart, and samples commented the section out as "optional section".
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/builders.ts';
import { envFeeder } from '../../src/feeders/env.ts';
import { yamlFeeder } from '../../src/feeders/files.ts';
import { objectFeeder } from '../../src/feeders/object.ts';
import { loadConfig } from '../../src/load.ts';
import { generateSample } from '../../src/sample.ts';
import { defineSchema } from '../../src/schema.ts';
import { Secret } from '../../src/secret.ts';
import { byDefault, programmatic, source } from './records.ts';

const schema = defineSchema({
  tls: t
    .object({ cert: t.string(), port: t.port(), key: t.string().secret(), lvl: t.integer().dynamic() })
    .default({ cert: 'c', port: 443, key: 'k', lvl: 1 })
    .optional(),
  // The inner section is optional without a default of its own; the outer default sets it.
  srv: t.object({ name: t.string(), tls: t.object({ cert: t.string() }).optional() }).default({ name: 'srv', tls: { cert: 'inner' } }),
});

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-config-section-default-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('an optional object with a declared default', () => {
  it('resolves to its default when no source mentions it, with provenance from the default', async () => {
    const config = await loadConfig(schema, { feeders: [] });
    expect(config.value.tls).toEqual({ cert: 'c', port: 443, key: expect.any(Secret) as unknown, lvl: 1 });
    expect(config.value.tls?.key.reveal()).toBe('k');
    expect(config.value.srv).toEqual({ name: 'srv', tls: { cert: 'inner' } });
    expect(config.provenance()).toEqual([
      byDefault('tls.cert', 'c'),
      byDefault('tls.port', 443),
      byDefault('tls.key', '[redacted]', { secret: true }),
      byDefault('tls.lvl', 1, { dynamic: true }),
      byDefault('srv.name', 'srv'),
      byDefault('srv.tls.cert', 'inner'),
    ]);
  });

  it('takes the fields a source gives and the default for the rest', async () => {
    // srv is supplied, but not its inner section: the outer default still sets that one.
    const config = await loadConfig(schema, { feeders: [objectFeeder({ tls: { port: 8443 }, srv: { name: 'mine' } })] });
    expect(config.value.tls).toMatchObject({ cert: 'c', port: 8443, lvl: 1 });
    expect(config.value.srv).toEqual({ name: 'mine', tls: { cert: 'inner' } });
    expect(config.explain('srv.tls.cert')).toEqual(byDefault('srv.tls.cert', 'inner'));
    expect(config.explain('tls.port')).toEqual(programmatic('tls.port', 8443));
    expect(config.explain('tls.cert')).toEqual(byDefault('tls.cert', 'c'));
  });

  it('applies a dynamic field on reload: the section is present before and after, it never appears', async () => {
    const { state, feeder } = source({});
    const config = await loadConfig(schema, { feeders: [feeder] });
    state.values = { tls: { lvl: 2 } };
    expect(await config.reload()).toEqual({ applied: [{ path: 'tls.lvl', previous: 1, next: 2, dynamic: true, tenant: undefined }], restartRequired: [] });
    expect(config.value.tls).toMatchObject({ cert: 'c', port: 443, lvl: 2 });
    expect(config.explain('tls.lvl')).toEqual(programmatic('tls.lvl', 2, { dynamic: true }));
    state.values = {};
    expect(await config.reload()).toEqual({ applied: [{ path: 'tls.lvl', previous: 2, next: 1, dynamic: true, tenant: undefined }], restartRequired: [] });
    expect(config.value.tls).toMatchObject({ cert: 'c', port: 443, lvl: 1 });
    expect(config.explain('tls.lvl')).toEqual(byDefault('tls.lvl', 1, { dynamic: true }));
  });

  it('is written live in samples, not as an optional section, and the sample loads back to the defaults', async () => {
    const yaml = generateSample(schema, 'yaml');
    expect(yaml).toBe(
      [
        'tls:',
        '  # type: string · default: "c"',
        '  cert: "c"',
        '  # type: port (integer 0-65535) · default: 443',
        '  port: 443',
        '  # type: string · default: [redacted] · secret',
        '  # key: ""',
        '  # type: integer · default: 1 · dynamic',
        '  lvl: 1',
        'srv:',
        '  # type: string · default: "srv"',
        '  name: "srv"',
        '  tls:',
        '    # type: string · default: "inner"',
        '    cert: "inner"',
        '',
      ].join('\n'),
    );
    expect(generateSample(schema, 'env')).toBe(
      [
        '# tls.cert',
        '# type: string · default: "c"',
        'TLS__CERT=c',
        '',
        '# tls.port',
        '# type: port (integer 0-65535) · default: 443',
        'TLS__PORT=443',
        '',
        '# tls.key',
        '# type: string · default: [redacted] · secret',
        '# TLS__KEY=',
        '',
        '# tls.lvl',
        '# type: integer · default: 1 · dynamic',
        'TLS__LVL=1',
        '',
        '# srv.name',
        '# type: string · default: "srv"',
        'SRV__NAME=srv',
        '',
        '# srv.tls.cert',
        '# type: string · default: "inner"',
        'SRV__TLS__CERT=inner',
        '',
      ].join('\n'),
    );
    expect(JSON.parse(generateSample(schema, 'json'))).toEqual({
      tls: {
        $comment: { cert: 'type: string · default: "c"', port: 'type: port (integer 0-65535) · default: 443', key: 'type: string · default: [redacted] · secret', lvl: 'type: integer · default: 1 · dynamic' },
        cert: 'c',
        port: 443,
        lvl: 1,
      },
      srv: { $comment: { name: 'type: string · default: "srv"' }, name: 'srv', tls: { $comment: { cert: 'type: string · default: "inner"' }, cert: 'inner' } },
    });
    const file = join(dir, 'sample.yaml');
    await writeFile(file, yaml);
    const fromYaml = await loadConfig(schema, { feeders: [yamlFeeder(file)] });
    const fromEnv = await loadConfig(schema, { feeders: [envFeeder({ env: { TLS__CERT: 'c', TLS__PORT: '443', TLS__LVL: '1', SRV__NAME: 'srv', SRV__TLS__CERT: 'inner' } })] });
    const defaults = await loadConfig(schema, { feeders: [] });
    expect(fromYaml.toJSON()).toEqual(defaults.toJSON());
    expect(fromEnv.toJSON()).toEqual(defaults.toJSON());
  });
});
