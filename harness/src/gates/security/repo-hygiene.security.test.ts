import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHygiene, type Lockfile } from './hygiene.ts';

// Dependency hygiene of this very repository: the lockfile is committed and
// only the install scripts we decided on can run at `npm ci`.
const root = resolve(import.meta.dirname, '../../../..');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lockfile;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };

describe('repository dependency hygiene', () => {
  it('has a v3 lockfile and an install-script decision for every package that has one', () => {
    expect(checkHygiene(lock, pkg.allowScripts)).toEqual([]);
  });

  it('allows only the install scripts it needs: the pinned Node binary and protobufjs', () => {
    const allowed = Object.entries(pkg.allowScripts).filter(([, ok]) => ok).map(([name]) => name).sort();
    expect(allowed).toEqual(['node', 'protobufjs']);
  });

  it('denies native addon builds (they would compile against the system Node headers)', () => {
    expect(pkg.allowScripts['cpu-features']).toBe(false);
    expect(pkg.allowScripts.ssh2).toBe(false);
  });
});
