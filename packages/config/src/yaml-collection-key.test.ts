/**
 * Audit: a YAML mapping key that is a collection (`? [hunter2]`, `{ token: x }: 1`,
 * an unrendered `{{ token }}:` template line) made yaml's toJS() call
 * process.emitWarning with the key's text quoted: file content on stderr, which
 * the YAML feeder otherwise never prints (parse errors give positions only).
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
  dir = await mkdtemp(join(tmpdir(), 'rampart-config-audit-yaml-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('YAML collection keys', () => {
  it('never reach process warnings, and are ignored like unknown keys', async () => {
    const path = join(dir, 'app.yaml');
    await writeFile(path, 'port: 8080\n? [hunter2-S3CRET]\n: 1\n{ token: t0k3n-S3CRET }: 2\n');
    const warnings: Error[] = [];
    const listen = (warning: Error): void => void warnings.push(warning);
    process.on('warning', listen);
    try {
      const config = await loadConfig(defineSchema({ port: t.port() }), { feeders: [yamlFeeder(path)] });
      expect(config.value.port).toBe(8080);
      // process.emitWarning delivers on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.message)).toEqual([]);
    } finally {
      process.off('warning', listen);
    }
  });
});
