/**
 * Audit: a Kubernetes ConfigMap (or Secret) volume mounts each file as a symlink
 * through `..data` (`app.yaml -> ..data/app.yaml`, `..data -> ..2024_01_01...`),
 * and an update swaps that one link (`..data_tmp` renamed over `..data`). The
 * directory's events name `..data` and `..data_tmp`, never `app.yaml`, so
 * `watch: true` never reloaded a ConfigMap update. A watched name whose link
 * now resolves to another file counts as changed.
 */
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from './builders.ts';
import { yamlFeeder } from './feeders/files.ts';
import { loadConfig } from './load.ts';
import { defineSchema } from './schema.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-config-audit-configmap-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes one ConfigMap revision the way the kubelet does: a new timestamped folder, then an atomic swap of `..data`. */
async function publish(mount: string, revision: string, text: string): Promise<void> {
  await mkdir(join(mount, revision));
  await writeFile(join(mount, revision, 'app.yaml'), text);
  await symlink(revision, join(mount, '..data_tmp'));
  await rename(join(mount, '..data_tmp'), join(mount, '..data'));
}

describe('watch: a Kubernetes ConfigMap mount', () => {
  it('reloads when the kubelet swaps ..data', async () => {
    const mount = join(dir, 'config');
    await mkdir(mount);
    await publish(mount, '..2026_01_01_00_00_00.1', 'level: info\n');
    await symlink(join('..data', 'app.yaml'), join(mount, 'app.yaml'));
    const schema = defineSchema({ level: t.enum(['info', 'debug']).default('info').dynamic() });
    const config = await loadConfig(schema, { feeders: [yamlFeeder(join(mount, 'app.yaml'))], watch: { debounceMs: 5 } });
    try {
      expect(config.value.level).toBe('info');
      const changed = new Promise<unknown>((done) => config.onChange(done));
      await publish(mount, '..2026_01_01_00_01_00.2', 'level: debug\n');
      expect(await changed).toEqual([{ path: 'level', previous: 'info', next: 'debug', dynamic: true, tenant: undefined }]);
      expect(config.value.level).toBe('debug');
    } finally {
      await config.close();
    }
  });
});
