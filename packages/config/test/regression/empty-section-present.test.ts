/**
 * Regression: an optional section written without fields (`tls: {}` in a YAML or
 * JSON file, `{ tls: {} }` from code) resolved as absent (undefined), as if no
 * source mentioned it, while the README says a section is absent only when no
 * source mentions it, and `{}` in an array item or a default always meant "present".
 * It is now present: its fields take their defaults and its required fields are
 * reported missing, naming the source that wrote the section.
 */
import { describe, expect, it } from 'vitest';
import { t } from '../../src/builders.ts';
import { envFeeder } from '../../src/feeders/env.ts';
import { jsonFeeder, yamlFeeder } from '../../src/feeders/files.ts';
import { objectFeeder } from '../../src/feeders/object.ts';
import { loadConfig } from '../../src/load.ts';
import { defineSchema } from '../../src/schema.ts';
import { byDefault, programmatic, source, unset } from './records.ts';
import { rejection, tempFolder } from './support.ts';

const files = tempFolder('rampart-config-empty-section-');

const defaulted = defineSchema({
  name: t.string().default('app'),
  tls: t.object({ cert: t.string().default('c.pem'), port: t.port().default(443) }).optional(),
});

describe('an optional section written as {}', () => {
  it('is present in a YAML file, every field from its default', async () => {
    const path = await files.write('tls.yaml', 'tls: {}\n');
    const config = await loadConfig(defaulted, { feeders: [yamlFeeder(path)] });
    expect(config.value).toEqual({ name: 'app', tls: { cert: 'c.pem', port: 443 } });
    expect(config.provenance()).toEqual([byDefault('name', 'app'), byDefault('tls.cert', 'c.pem'), byDefault('tls.port', 443)]);
  });

  it('is present from code, and a source still overrides its fields one by one', async () => {
    const config = await loadConfig(defaulted, { feeders: [objectFeeder({ tls: {} }), objectFeeder({ tls: { port: 8443 } }, { source: 'cli' })] });
    expect(config.value.tls).toEqual({ cert: 'c.pem', port: 8443 });
    expect(config.explain('tls.port')).toEqual({ ...programmatic('tls.port', 8443), source: 'cli' });
  });

  it('reports its required fields missing, naming the file that wrote the section', async () => {
    const path = await files.write('tls.json', '{ "tls": {} }');
    const schema = defineSchema({ tls: t.object({ cert: t.string(), port: t.port().default(443) }).optional() });
    const error = await rejection(loadConfig(schema, { feeders: [jsonFeeder(path)] }));
    expect(error.code).toBe('CONFIG_ERR_VALIDATION');
    expect(error.issues).toEqual([
      {
        path: 'tls.cert',
        kind: 'required',
        expected: 'string',
        got: 'nothing',
        source: 'no source',
        layer: 'none',
        message: `tls.cert: is required (string) but no source supplied it (from no source; section tls is set by json ${path} at tls)`,
      },
    ]);
  });

  it('names the strongest source that wrote the section, by its key in the file', async () => {
    const path = await files.write('tenants.yaml', 'acme:\n  tls: {}\n');
    const schema = defineSchema({ tls: t.object({ cert: t.string() }).optional() });
    const error = await rejection(loadConfig(schema, { feeders: [objectFeeder({ tls: {} }, { priority: 1 }), yamlFeeder(path, { at: 'acme' })] }));
    expect(error.issues.map((i) => i.message)).toEqual([`tls.cert: is required (string) but no source supplied it (from no source; section tls is set by yaml ${path} at acme.tls)`]);
  });

  it('makes a nested optional section present, and its parent with it', async () => {
    const schema = defineSchema({ srv: t.object({ tls: t.object({ port: t.port().default(443) }).optional(), name: t.string().optional() }).optional() });
    expect((await loadConfig(schema, { feeders: [objectFeeder({ srv: { tls: {} } })] })).value).toEqual({ srv: { tls: { port: 443 }, name: undefined } });
    expect((await loadConfig(schema, { feeders: [objectFeeder({ srv: {} })] })).value).toEqual({ srv: { tls: undefined, name: undefined } });
  });

  it('is present only in the tenant whose source writes it', async () => {
    const config = await loadConfig(defaulted, { tenants: ['globex'], feeders: [objectFeeder({ tls: {} }, { layer: { tenant: 'acme' } })] });
    expect(config.value.tls).toBeUndefined();
    expect(config.forTenant('acme').value.tls).toEqual({ cert: 'c.pem', port: 443 });
    expect(config.forTenant('globex').value.tls).toBeUndefined();
  });

  it('appears on reload like any section, held back for a restart', async () => {
    const { state, feeder } = source({});
    const config = await loadConfig(defaulted, { feeders: [feeder] });
    state.values = { tls: {} };
    expect(await config.reload()).toEqual({
      applied: [],
      restartRequired: [
        { path: 'tls.cert', previous: undefined, next: 'c.pem', dynamic: false, tenant: undefined },
        { path: 'tls.port', previous: undefined, next: 443, dynamic: false, tenant: undefined },
      ],
    });
  });
});

describe('what still leaves an optional section absent', () => {
  it.each([
    ['no key', ''],
    ['a key with no value (null)', 'tls:\n'],
    ['an explicit null', 'tls: null\n'],
  ])('%s in a YAML file', async (_, text) => {
    const path = await files.write('absent.yaml', text);
    const config = await loadConfig(defaulted, { feeders: [yamlFeeder(path)] });
    expect(config.value.tls).toBeUndefined();
    expect(config.explain('tls.port')).toEqual(unset('tls.port'));
  });

  it('env variables that exist only as empty text (they read as unset)', async () => {
    const config = await loadConfig(defaulted, { feeders: [envFeeder({ env: { TLS__PORT: '' } })] });
    expect(config.value.tls).toBeUndefined();
  });
});
