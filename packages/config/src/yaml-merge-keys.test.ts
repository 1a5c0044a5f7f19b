/**
 * Audit: YAML merge keys (`<<: *defaults`, as docker-compose and CI files use
 * them) were read under YAML 1.2 rules as a plain key named "<<", which no
 * field has: the merged values were ignored without a word and the fields fell
 * back to lower sources or their defaults.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from './builders.ts';
import { yamlFeeder } from './feeders/files.ts';
import { loadConfig } from './load.ts';
import { defineSchema } from './schema.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-config-audit-merge-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const schema = defineSchema({
  primary: t.object({ host: t.string(), port: t.port().default(5432) }),
  replica: t.object({ host: t.string(), port: t.port().default(5432) }),
});

describe('YAML merge keys', () => {
  it('merge the aliased mapping; keys written next to `<<` win', async () => {
    const path = join(dir, 'db.yaml');
    await writeFile(path, 'primary: &db\n  host: db-1\n  port: 6432\nreplica:\n  <<: *db\n  host: db-2\n');
    const config = await loadConfig(schema, { feeders: [yamlFeeder(path)] });
    expect(config.value.replica).toEqual({ host: 'db-2', port: 6432 });
    expect(config.explain('replica.port')).toMatchObject({ feeder: 'yaml', source: path, key: 'replica.port' });
  });

  it('still refuse a `__proto__` key brought in by a merge', async () => {
    const path = join(dir, 'proto.yaml');
    await writeFile(path, 'evil: &e\n  __proto__:\n    polluted: true\nprimary:\n  <<: *e\n  host: h\nreplica:\n  host: h\n');
    await expect(loadConfig(schema, { feeders: [yamlFeeder(path)] })).rejects.toMatchObject({ code: 'CONFIG_ERR_UNSAFE_KEY' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
