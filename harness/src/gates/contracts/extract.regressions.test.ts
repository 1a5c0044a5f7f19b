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
