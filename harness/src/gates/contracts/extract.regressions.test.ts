import { describe, expect, it } from 'vitest';
import { extractContractFile } from './extract.ts';

const FILE = 'contracts/demo/l1.contract.test.ts';
const hidden = (line: number, kind: string) =>
  `${FILE}:${String(line)}: a test or suite nested in ${kind} is invisible to the lock; declare it at suite level (use it.each / describe.each for tables)`;

describe('extractContractFile: tests the lock cannot see are rejected', () => {
  it('rejects a test inside a describe whose callback has an expression body (vitest runs it)', () => {
    const result = extractContractFile(FILE, "import { describe, it } from 'vitest';\ndescribe('s', () => it('hidden', () => {}));\n");
    expect(result.tests).toEqual([]);
    expect(result.problems).toEqual([
      hidden(2, 'ArrowFunction'),
    ]);
  });

  it('rejects a test registered by a function declared in the file and called at suite level', () => {
    const source = [
      "import { describe, it } from 'vitest';",
      'function defineCases() {',
      "  it('hidden', () => {});",
      '}',
      "describe('s', () => { defineCases(); });",
    ].join('\n');
    const result = extractContractFile(FILE, source);
    expect(result.tests).toEqual([]);
    expect(result.problems).toEqual([
      hidden(3, 'FunctionDeclaration'),
    ]);
  });

  it('rejects a test registered by an arrow function held in a constant', () => {
    const source = ["import { it } from 'vitest';", "const cases = () => it('hidden', () => {});", 'cases();'].join('\n');
    expect(extractContractFile(FILE, source).problems).toEqual([
      hidden(2, 'VariableStatement'),
    ]);
  });

  it('still accepts vitest aliases declared in the file (test.extend, it.skipIf, it.each)', () => {
    const source = [
      "import { it, test } from 'vitest';",
      'const withDb = test.extend({ db: async ({}, use) => use(1) });',
      'const table = it.each([1, 2]);',
      "withDb('a', ({ db }) => {});",
      "table('b %i', (n) => {});",
    ].join('\n');
    const result = extractContractFile(FILE, source);
    expect(result.problems).toEqual([]);
    expect(result.tests.map((test) => test.id)).toEqual([`${FILE} > a`, `${FILE} > b %i`]);
  });
});

describe('extractContractFile: aliases beside other declarations', () => {
  it('checks each declaration of a statement on its own', () => {
    const source = ["import { it, test } from 'vitest';", "const withDb = test.extend({}), other = () => it('hidden', () => {});", "withDb('a', () => {});"].join('\n');
    expect(extractContractFile(FILE, source).problems).toEqual([
      hidden(2, 'VariableStatement'),
    ]);
    const clean = ["import { it, test } from 'vitest';", 'const withDb = test.extend({}), limit = 3;', "withDb('a', () => { it; });"].join('\n');
    expect(extractContractFile(FILE, clean).problems).toEqual([]);
  });
});

describe('extractContractFile: imports that reach repository files', () => {
  it.each(['/work/main/contracts/helpers.ts', '#helpers', 'file:///work/main/helpers.ts'])('rejects %s, as a relative path is', (specifier) => {
    const source = [`import { check } from '${specifier}';`, "import { it } from 'vitest';", "it('a', () => { check(); });"].join('\n');
    expect(extractContractFile(FILE, source).problems).toEqual([
      `${FILE}:1: contract tests import packages only through their public entry (@rampart/<name>), not '${specifier}'`,
    ]);
  });

  it('still accepts node: built-ins and packages', () => {
    const source = ["import { join } from 'node:path';", "import { it } from 'vitest';", "import { token } from '@rampart/core';", "it('a', () => { join(); token; });"].join('\n');
    expect(extractContractFile(FILE, source).problems).toEqual([]);
  });
});

// Found by an audit: each of these let a contract file escape the rules.
describe('extractContractFile: audit regressions', () => {
  it('sees tests written through a namespace import of vitest, and their skip marks', () => {
    const source = "import * as vt from 'vitest';\nvt.describe('s', () => {\n  vt.it('a', () => {});\n  vt.it.skip('b', () => {});\n});\n";
    const result = extractContractFile(FILE, source);
    expect(result.tests.map((test) => [test.id, test.disabled])).toEqual([
      [`${FILE} > s > a`, []],
      [`${FILE} > s > b`, ['it.skip']],
    ]);
  });

  it("rejects vi.mock(import('@rampart/x')), vitest's typed form", () => {
    const source = "import { it, vi } from 'vitest';\nvi.mock(import('@rampart/vault'), () => ({}));\nit('a', () => {});\n";
    expect(extractContractFile(FILE, source).problems).toEqual([
      `${FILE}:2: contract tests run the real package; mocking a @rampart module is not allowed`,
    ]);
  });

  it('rejects a dynamic import of a path the file builds, and accepts one a package exports', () => {
    const computed = [
      "import { it } from 'vitest';",
      "const SUPPORT = new URL('./support/', import.meta.url).href;",
      "it('a', async () => { await import(SUPPORT + 'roundtrip.ts'); });",
      "it('b', async () => { const p = SUPPORT; await import(p); });",
      "it('c', async () => { await import(`${SUPPORT}x.ts`); });",
    ].join('\n');
    const why = 'a dynamic import() takes a string literal or a value from a package (import(pathToFileURL(floorReporterPath).href)); a path built in the file can reach code outside the lock';
    expect(extractContractFile(FILE, computed).problems).toEqual([3, 4, 5].map((line) => `${FILE}:${String(line)}: ${why}`));
    const exported = [
      "import { pathToFileURL } from 'node:url';",
      "import { it } from 'vitest';",
      "import { floorReporterPath } from '@rampart/harness';",
      "it('a', async () => { await import(pathToFileURL(floorReporterPath).href); await import('@rampart/harness'); });",
    ].join('\n');
    expect(extractContractFile(FILE, exported).problems).toEqual([]);
  });

  it('rejects an import of a private workspace, named by the caller', () => {
    const source = "import { it } from 'vitest';\nimport { vaultKeys } from '@rampart/fixtures';\nimport { FakeClock } from '@rampart/mocks';\nit('a', () => [vaultKeys, FakeClock]);\n";
    expect(extractContractFile(FILE, source, { privatePackages: new Set(['@rampart/fixtures']) }).problems).toEqual([
      `${FILE}:2: contract tests import published packages only; '@rampart/fixtures' is a private workspace`,
    ]);
  });

  it('changes the collection hash for code that runs at load, not for helpers, tables or new tests', () => {
    const base = "import { describe, expect, it } from 'vitest';\ndescribe('s', () => {\n  it('a', () => { expect(1).toBe(1); });\n});\n";
    const hash = (extra: string) => extractContractFile(FILE, `${base}${extra}`).collection;
    const plain = hash('');
    for (const inert of ["const rows = [1, 2];\n", 'const f = () => expect.extend({});\n', "function g() { return 1; }\nclass K { static x = 1; m() { return g(); } }\n", "describe('t', () => {\n  it('b', () => {});\n});\n", "it('c', () => {});\n"]) {
      expect(hash(inert)).toBe(plain);
    }
    for (const running of ['const m = (() => 1)();\n', 'const n = new Map();\n', 'let i = 0;\nconst j = i++;\n', 'class P { static { void 0; } }\n', 'class Q { static y = make(); }\n', 'const R = class { static { void 0; } };\n', 'expect.extend({});\n', "describe('t', () => {\n  beforeAll(() => {});\n});\n", "describe.each([1])('t %i', () => {\n  it('b', () => {});\n});\n", "describe('t', { retry: 3 }, () => {\n  it('b', () => {});\n});\n", "for (const x of [1]) it(`b${x}`, () => {});\n"]) {
      expect(hash(running), running).not.toBe(plain);
    }
  });
});

