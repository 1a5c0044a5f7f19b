/**
 * Regression: generateSample wrote a description straight after `# `, so its
 * second line became live YAML or a live .env assignment.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/builders.ts';
import { dotenvFeeder, yamlFeeder } from '../../src/feeders/files.ts';
import { loadConfig } from '../../src/load.ts';
import { generateSample } from '../../src/sample.ts';
import { defineSchema } from '../../src/schema.ts';

const described = (text: string) => defineSchema({ db: t.object({ port: t.port().default(80).describe(text) }), level: t.string().default('info') });

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rampart-config-sample-lines-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a multi-line description in a sample', () => {
  it('comments out every line in YAML, so the sample loads back as the defaults', async () => {
    const schema = described('Listen port.\n  port: 9\r\nlevel: "loud"\rlast');
    const text = generateSample(schema, 'yaml');
    expect(text).toBe(
      ['db:', '  # Listen port.', '  #   port: 9', '  # level: "loud"', '  # last', '  # type: port (integer 0-65535) · default: 80', '  port: 80', '# type: string · default: "info"', 'level: "info"', ''].join('\n'),
    );
    const path = join(dir, 'sample.yaml');
    await writeFile(path, text);
    expect((await loadConfig(schema, { feeders: [yamlFeeder(path)] })).value).toEqual({ db: { port: 80 }, level: 'info' });
  });

  it('comments out every line in .env, so the sample loads back as the defaults', async () => {
    const schema = described('Listen port.\nDB__PORT=9\r\nLEVEL=loud\u2028LEVEL=louder');
    const text = generateSample(schema, 'env');
    expect(text.split('\n').slice(0, 6)).toEqual(['# db.port — Listen port.', '# DB__PORT=9', '# LEVEL=loud', '# LEVEL=louder', '# type: port (integer 0-65535) · default: 80', 'DB__PORT=80']);
    const path = join(dir, 'sample.env');
    await writeFile(path, text);
    expect((await loadConfig(schema, { feeders: [dotenvFeeder(path)] })).value).toEqual({ db: { port: 80 }, level: 'info' });
  });

});
