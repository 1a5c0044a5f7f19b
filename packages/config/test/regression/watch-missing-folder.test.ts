/**
 * Regression: `watch: true` watched each file feeder's folder and failed the
 * load with CONFIG_ERR_WATCH when that folder did not exist, so an optional
 * file (`required: false`) in a missing folder made the load fail.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/builders.ts';
import type { Change } from '../../src/diff.ts';
import { yamlFeeder } from '../../src/feeders/files.ts';
import { loadConfig } from '../../src/load.ts';
import { defineSchema } from '../../src/schema.ts';

const schema = defineSchema({ level: t.enum(['info', 'debug']).default('info').dynamic() });

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-config-watch-missing-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('watching an optional file whose folder does not exist', () => {
  it.each([
    ['one missing folder', ['conf']],
    ['two missing folders', ['deep', 'conf']],
  ])('loads, then picks the file up once the folder and file appear (%s)', async (_label, folders) => {
    const folder = join(dir, ...folders);
    const config = await loadConfig(schema, { feeders: [yamlFeeder(join(folder, 'local.yaml'), { required: false })], watch: { debounceMs: 20 } });
    try {
      expect(config.value.level).toBe('info');
      const changed = new Promise<readonly Change[]>((done) => config.onChange((applied) => done(applied)));
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'local.yaml'), 'level: debug\n');
      expect(await changed).toEqual([{ path: 'level', previous: 'info', next: 'debug', dynamic: true, tenant: undefined }]);
      expect(config.value.level).toBe('debug');
    } finally {
      await config.close();
    }
  });
});
