/**
 * L2 contract of @rampart/config: YAML `<<: *anchor` merge keys are honoured
 * (keys written beside `<<` win, a merged `__proto__` is still refused), and a
 * fractional duration that is a whole number of milliseconds parses exactly.
 * Locked: never modified, only added to.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineSchema, loadConfig, parseDuration, t, yamlFeeder } from '@rampart/config';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-config-contract-merge-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const schema = defineSchema({
  primary: t.object({ host: t.string(), port: t.port().default(5432) }),
  replica: t.object({ host: t.string(), port: t.port().default(5432) }),
});

describe('@rampart/config L2: YAML merge keys', () => {
  it('a merged mapping supplies the fields not written beside `<<`', async () => {
    const path = join(dir, 'db.yaml');
    await writeFile(path, 'primary: &db\n  host: db-1\n  port: 6432\nreplica:\n  <<: *db\n  host: db-2\n');
    const config = await loadConfig(schema, { feeders: [yamlFeeder(path)] });
    expect(config.value.replica).toEqual({ host: 'db-2', port: 6432 });
  });

  it('a `__proto__` key brought in by a merge is refused with CONFIG_ERR_UNSAFE_KEY', async () => {
    const path = join(dir, 'proto.yaml');
    await writeFile(path, 'evil: &e\n  __proto__:\n    polluted: true\nprimary:\n  <<: *e\n  host: h\nreplica:\n  host: h\n');
    await expect(loadConfig(schema, { feeders: [yamlFeeder(path)] })).rejects.toMatchObject({ code: 'CONFIG_ERR_UNSAFE_KEY' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('@rampart/config L2: fractional durations', () => {
  it.each([
    ['2.3h', 8_280_000],
    ['2.2d', 190_080_000],
    ['1.5h30m', 7_200_000],
    ['0.1s', 100],
  ])('%s is exactly %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});
