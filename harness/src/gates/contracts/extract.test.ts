import { describe, expect, it } from 'vitest';
import { extractContractFile } from './extract.ts';
import type { ContractFile } from './extract.ts';

const FILE = 'contracts/demo/l1.contract.test.ts';

function extract(source: string, file = FILE): ContractFile {
  return extractContractFile(file, source);
}

function ids(result: ContractFile): string[] {
  return result.tests.map((test) => test.id.slice(FILE.length + 3));
}

describe('extractContractFile: recognising tests', () => {
  it('follows vitest aliases: renamed imports, test.extend and chained modifiers', () => {
    const result = extract(
      [
        "import { it as check, describe as group, test } from 'vitest';",
        'const withDb = test.extend({ db: async ({}, use) => use(1) });',
        "group('g', () => { check('a', () => {}); withDb('b', ({ db }) => {}); test.concurrent('c', () => {}); });",
      ].join('\n'),
    );
    expect(ids(result)).toEqual(['g > a', 'g > b', 'g > c']);
    expect(Object.keys(result.tests[1]?.context ?? {})).toContain('helper (file) withDb');
  });

  it('marks a test whose alias is itself switched off', () => {
    const result = extract("import { it } from 'vitest';\nconst later = it.skip;\nlater('x', () => {});");
    expect(result.tests[0]?.disabled).toEqual(['it.skip']);
  });

  it('names a test by the source of a non-literal name', () => {
    const result = extract("import { describe, it } from 'vitest';\nclass Thing {}\ndescribe(Thing, () => { it(`is ${'a'} thing`, () => {}); it(); });");
    expect(ids(result)).toEqual(["Thing > `is ${'a'} thing`", 'Thing > (unnamed)']);
  });

  it('reads a suite whose callback has no block body as empty', () => {
    expect(extract("import { describe } from 'vitest';\ndescribe('empty', () => undefined);\ndescribe('none');").tests).toEqual([]);
  });

  it('merges overloads into one helper and tracks helpers transitively', () => {
    const result = extract(
      [
        "import { it, expect } from 'vitest';",
        'function pick(a: string): string;',
        'function pick(a: number): number;',
        'function pick(a: unknown) { return base(a); }',
        'function base(a: unknown) { return a; }',
        'const { left, right: [deep] } = { left: 1, right: [2] };',
        "it('uses pick', () => { expect(pick(1)).toBe(deep); });",
      ].join('\n'),
    );
    expect(Object.keys(result.tests[0]?.context ?? {})).toEqual([
      'helper (file) base',
      'helper (file) deep',
      'helper (file) expect',
      'helper (file) it',
      'helper (file) pick',
    ]);
  });

  it('treats property names as names, not references to helpers', () => {
    const result = extract("import { it } from 'vitest';\nconst value = 1;\nit('x', () => { const o = { value: 2 }; return o.value; });");
    expect(Object.keys(result.tests[0]?.context ?? {})).toEqual(['helper (file) it']);
  });

  it('counts describe-level statements as setup of the tests inside', () => {
    const result = extract("import { describe, it } from 'vitest';\ndescribe('d', () => { if (process.env.X) {} it('t', () => {}); });");
    expect(Object.keys(result.tests[0]?.context ?? {})).toContain('setup d IfStatement#0');
  });
});

describe('extractContractFile: table loops', () => {
  const source = [
    "import { describe, expect, it } from 'vitest';",
    "const MODES = ['a', 'b'];",
    "describe('modes', () => {",
    '  for (const mode of MODES) {',
    '    it(`${mode} works`, () => expect(mode).toBeTruthy());',
    '  }',
    "  for (let i = 0; i < 2; i += 1) it('counts', () => expect(i).toBeLessThan(2));",
    "  for (const key in { x: 1 }) describe('keys', () => { it(`has ${key}`, () => {}); });",
    '});',
  ].join('\n');

  it('locks a test declared in a for loop once, keeping the enclosing path', () => {
    const result = extract(source);
    expect(result.problems).toEqual([]);
    expect(ids(result)).toEqual(['modes > `${mode} works`', 'modes > counts', 'modes > keys > `has ${key}`']);
  });

  it('makes the test depend on the loop header and the table it reads', () => {
    const [first, second] = extract(source).tests;
    expect(Object.keys(first?.context ?? {})).toEqual(expect.arrayContaining(['setup modes [loop 1] ForOfStatement#0', 'helper (file) MODES']));
    expect(Object.keys(second?.context ?? {})).toContain('setup modes [loop 2] ForStatement#0');
    const shrunk = extract(source.replace("['a', 'b']", "['a']")).tests[0];
    expect(shrunk?.context['helper (file) MODES']).not.toBe(first?.context['helper (file) MODES']);
  });
});

describe('extractContractFile: rules', () => {
  it('requires an l1 or l2 file name', () => {
    const result = extract("import { it } from 'vitest';\nit('x', () => {});", 'contracts/demo/basic.contract.test.ts');
    expect(result.level).toBeUndefined();
    expect(result.problems).toEqual([
      'contracts/demo/basic.contract.test.ts: a contract file is named l1[.<topic>].contract.test.ts or l2[.<topic>].contract.test.ts',
    ]);
  });

  it('accepts a topic in the file name', () => {
    const result = extract("import { it } from 'vitest';\nit('x', () => {});", 'contracts/demo/l2.retries.contract.test.ts');
    expect(result).toMatchObject({ level: 'l2', package: 'demo', problems: [] });
  });

  it('rejects relative, deep and dynamic imports of internals, and mocks of @rampart modules', () => {
    const result = extract(
      [
        "import { it, vi } from 'vitest';",
        "import { a } from '../../packages/demo/src/a.ts';",
        "import { b } from '@rampart/demo/src/b.ts';",
        "import pkg from '@rampart/demo/package.json';",
        "export { c } from './c.ts';",
        "vi.mock('@rampart/demo');",
        "it('x', async () => { await import('./d.ts'); vi.doMock('@rampart/other', () => ({})); vi.mock('node:fs'); });",
      ].join('\n'),
    );
    expect(result.problems).toEqual([
      `${FILE}:2: contract tests import packages only through their public entry (@rampart/<name>), not '../../packages/demo/src/a.ts'`,
      `${FILE}:3: contract tests import packages only through their public entry (@rampart/<name>), not '@rampart/demo/src/b.ts'`,
      `${FILE}:5: contract tests import packages only through their public entry (@rampart/<name>), not './c.ts'`,
      `${FILE}:6: contract tests run the real package; mocking a @rampart module is not allowed`,
      `${FILE}:7: contract tests import packages only through their public entry (@rampart/<name>), not './d.ts'`,
      `${FILE}:7: contract tests run the real package; mocking a @rampart module is not allowed`,
    ]);
  });

  it('rejects tests hidden in conditions, while loops and callbacks, which the lock cannot see', () => {
    const result = extract(
      [
        "import { describe, it } from 'vitest';",
        "while (process.env.LOOP) it('w', () => {});",
        "if (process.env.FULL) { describe('slow', () => {}); }",
        "[1].forEach(() => it('y', () => {}));",
      ].join('\n'),
    );
    expect(result.problems).toEqual([
      `${FILE}:2: a test or suite nested in WhileStatement is invisible to the lock; declare it at suite level (use it.each / describe.each for tables)`,
      `${FILE}:3: a test or suite nested in IfStatement is invisible to the lock; declare it at suite level (use it.each / describe.each for tables)`,
      `${FILE}:4: a test or suite nested in ExpressionStatement is invisible to the lock; declare it at suite level (use it.each / describe.each for tables)`,
    ]);
  });

  it('rejects two tests with the same id', () => {
    const result = extract("import { it } from 'vitest';\nit('same', () => {});\nit('same', () => { return 1; });");
    expect(result.problems).toEqual([`duplicate contract test id (give each test a unique name): ${FILE} > same`]);
  });
});
