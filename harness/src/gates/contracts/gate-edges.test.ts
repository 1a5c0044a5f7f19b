import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitAll, gateContext, passedRun, project } from '../../../test/contracts/gate-context.ts';
import { describeKey } from './compare.ts';
import { extractContractFile } from './extract.ts';
import { checkContracts, contractsGate } from './index.ts';
import { formatLock, LOCK_PATH, readLock } from './lock-file.ts';
import { findContractFiles } from './scan.ts';

const lockCommand = contractsGate.commands?.['contracts:lock'];

describe('contracts gate: edges', () => {
  it('passes with zero tests when the repository has no contracts directory', async () => {
    using dir = project({ 'README.md': 'empty' });
    commitAll(dir.root);
    const result = await checkContracts(gateContext(dir.root, true), {});
    expect(result).toEqual({
      status: 'passed',
      summary: '0 locked, 0 new',
      figures: { locked: 0, new: 0, l1: 0, l2: 0, ran: 0, violations: 0 },
      details: ['0 locked, 0 new; L1 0, L2 0', expect.stringMatching(/^lock checked against main \([0-9a-f]{12}\): entries may only be added$/)],
    });
  });

  it('fails, without crashing, on a lock it cannot read', async () => {
    using dir = project({ [LOCK_PATH]: '{"version":2,"tests":{}}' });
    const result = await contractsGate.run(gateContext(dir.root));
    expect(result).toEqual({
      status: 'failed',
      summary: 'contract lock unreadable',
      details: [`${LOCK_PATH}: unsupported lock format (expected version 1 with a "tests" object)`],
    });
    writeFileSync(join(dir.root, LOCK_PATH), 'not json');
    expect((await contractsGate.run(gateContext(dir.root))).details?.[0]).toMatch(/JSON/);
  });

  it('rejects an import of a workspace marked private in its package.json', async () => {
    using dir = project({
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }),
      'packages/fixtures/package.json': JSON.stringify({ name: '@rampart/fixtures', private: true }),
      'packages/demo/package.json': JSON.stringify({ name: '@rampart/demo' }),
      'contracts/demo/l1.contract.test.ts': "import { it } from 'vitest';\nimport { a } from '@rampart/demo';\nimport { keys } from '@rampart/fixtures';\nit('ok', () => [a, keys]);\n",
    });
    const result = await checkContracts(gateContext(dir.root), {}, passedRun);
    expect(result.details).toContain("contracts/demo/l1.contract.test.ts:3: contract tests import published packages only; '@rampart/fixtures' is a private workspace");
  });

  it('fails, without crashing, on a lock whose file entries are malformed', async () => {
    using dir = project({ [LOCK_PATH]: '{"version":1,"tests":{},"files":{"a.ts":{}}}' });
    expect((await contractsGate.run(gateContext(dir.root))).details).toEqual([`${LOCK_PATH}: unsupported lock format ("files" must map each file to { "collection": "<hash>" })`]);
  });

  it('refuses to lock a new test that is switched off, and one in a file that breaks a rule', async () => {
    using dir = project({
      'contracts/demo/l1.contract.test.ts': "import { it } from 'vitest';\nit('ok', () => {});\nit('later', { 'only': true, ...{} }, () => {});\n",
      'contracts/demo/l2.contract.test.ts': "import { it } from 'vitest';\nimport { x } from './x.ts';\nit('uses internals', () => x);\n",
    });
    const context = gateContext(dir.root);
    expect(await lockCommand?.(context)).toBe(1);
    expect(context.lines).toEqual([
      `contracts:lock: added 1 test(s) to ${LOCK_PATH}`,
      '  + contracts/demo/l1.contract.test.ts > ok',
      '  + collection code of contracts/demo/l1.contract.test.ts',
      "  ✗ contracts/demo/l2.contract.test.ts:2: contract tests import packages only through their public entry (@rampart/<name>), not './x.ts'",
      '  ✗ disabled: "contracts/demo/l1.contract.test.ts > later" (new test, { only } option): contract tests always run',
      'contracts:lock never rewrites a locked entry: restore the locked tests above.',
    ]);
    expect(Object.keys(readLock(dir.root).tests)).toEqual(['contracts/demo/l1.contract.test.ts > ok']);
    expect((await checkContracts(gateContext(dir.root), {}, passedRun)).status).toBe('failed');
  });

  it('finds contract files recursively, sorted, and ignores other test files', () => {
    using dir = project({
      'contracts/b/l1.contract.test.ts': '',
      'contracts/a/nested/l2.x.contract.test.ts': '',
      'contracts/a/helper.test.ts': '',
      'contracts/README.md': '',
    });
    expect(findContractFiles(dir.root)).toEqual(['contracts/a/nested/l2.x.contract.test.ts', 'contracts/b/l1.contract.test.ts']);
  });

  it('formats the lock with sorted ids and sorted context keys', () => {
    const test = extractContractFile('contracts/p/l1.contract.test.ts', "import { it } from 'vitest';\nit('b', () => {});").tests[0];
    if (!test) throw new Error('fixture has one test');
    const text = formatLock({ version: 1, tests: { z: { ...test, context: { b: '2', a: '1' } }, a: test } });
    const parsed = JSON.parse(text) as { tests: Record<string, { context: Record<string, string> }> };
    expect(Object.keys(parsed.tests)).toEqual(['a', 'z']);
    expect(Object.keys(parsed.tests.z?.context ?? {})).toEqual(['a', 'b']);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('describes dependency keys in words', () => {
    expect(describeKey('hook (file) afterAll#1')).toBe('the afterAll hook #2 at file level');
    expect(describeKey('setup a > b ExpressionStatement#0')).toBe('the ExpressionStatement #1 in describe "a > b"');
    expect(describeKey('helper my suite makeVault')).toBe('the helper "makeVault" declared in describe "my suite"');
  });
});

describe('reference tracking', () => {
  it('ignores declared names, member names and binding property names', () => {
    const source = [
      "import { it } from 'vitest';",
      'const a = 1, b = 2, c = 3, d = 4, e = 5, f = 6;',
      'const [, second] = [0, 1];',
      "it('x', () => {",
      '  class K { a = 1; b() {} get c() { return 0; } set c(_v) {} }',
      '  type T = { d: number; e(): void };',
      '  const { f: renamed } = { f: 1 };',
      '  return [K, renamed, second] as unknown as T;',
      '});',
    ].join('\n');
    const test = extractContractFile('contracts/p/l1.contract.test.ts', source).tests[0];
    expect(Object.keys(test?.context ?? {})).toEqual(['helper (file) it', 'helper (file) second']);
  });
});
