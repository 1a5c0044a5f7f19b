import { describe, expect, it } from 'vitest';
import { gateContext, passedRun, project } from '../../../test/contracts/gate-context.ts';
import { importedValues, runtimeExports, uncoveredExports } from './api-coverage.ts';
import { extractContractFile } from './extract.ts';
import { checkContracts } from './index.ts';
import { scanContracts } from './scan.ts';

/** What importedValues gets from the gate: the contract file as extract parsed it. */
const values = (source: string): string[] => [...importedValues(extractContractFile('contracts/demo/l2.contract.test.ts', source).syntax, '@rampart/demo')].sort();

const REPORT = [
  '## API Report File for "@rampart/demo"',
  '',
  '```ts',
  'export class Widget {',
  '    constructor();',
  '}',
  'export const WIDGETS: readonly string[];',
  'export function make(): Widget;',
  'export function make(name: string): Widget;',
  'export declare function legacy(): void;',
  'export abstract class Base {}',
  'export enum Color { Red = 0 }',
  'export interface Options {}',
  'export type Name = string;',
  'export namespace Tools {',
  '    export function nested(): void;',
  '}',
  '```',
].join('\n');

describe('runtimeExports', () => {
  it('names classes, consts, functions (overloads once), enums and namespaces, not types or namespace members', () => {
    expect(runtimeExports(REPORT)).toEqual({ packageName: '@rampart/demo', names: ['Base', 'Color', 'Tools', 'WIDGETS', 'Widget', 'legacy', 'make'] });
  });

  it('reads a report with CRLF line endings or re-indented lines as API Extractor does, the same exports', () => {
    const expected = runtimeExports(REPORT);
    expect(runtimeExports(REPORT.replaceAll('\n', '\r\n'))).toEqual(expected);
    expect(runtimeExports(REPORT.replace(/^/gm, ' '))).toEqual(expected);
    expect(runtimeExports(REPORT.replace(/^/gm, '\t').replaceAll('\n', '  \r\n'))).toEqual(expected);
  });

  it('has no package name without the API Extractor header', () => {
    expect(runtimeExports('export const a: 1;\n')).toEqual({ packageName: undefined, names: ['a'] });
  });
});

describe('importedValues', () => {
  it('takes named value imports of the specifier under their exported names', () => {
    const source = [
      "import { make, Widget as W, type Options } from '@rampart/demo';",
      "import type { Name } from '@rampart/demo';",
      "import { other } from '@rampart/other';",
      "import '@rampart/demo';",
      "import demoDefault from '@rampart/demo';",
    ].join('\n');
    expect(values(source)).toEqual(['Widget', 'make']);
  });

  it('takes the members read through a namespace import, not those of other objects', () => {
    const source = "import * as demo from '@rampart/demo';\nimport * as other from '@rampart/other';\nconst x = { legacy: 1 };\ndemo.make(); new demo.Widget(); other.Base; x.legacy;\n";
    expect(values(source)).toEqual(['Widget', 'make']);
  });

  it('ignores a type-only namespace import', () => {
    expect(values("import type * as demo from '@rampart/demo';\ntype A = demo.Widget;\n")).toEqual([]);
  });
});

describe('uncoveredExports', () => {
  it('names, per package, the runtime exports no contract file of that package imports', () => {
    using dir = project({
      'contracts/api/demo.api.md': REPORT,
      'contracts/api/empty.api.md': '## API Report File for "@rampart/empty"\n\nexport interface OnlyTypes {}\n',
      'contracts/demo/l1.contract.test.ts': "import { make, Tools, Widget } from '@rampart/demo';\n",
      'contracts/demo/l2.contract.test.ts': "import * as demo from '@rampart/demo';\ndemo.WIDGETS;\n",
      // Imports from another package's folder do not cover this one.
      'contracts/other/l2.contract.test.ts': "import { legacy, Base, Color } from '@rampart/demo';\n",
    });
    expect(uncoveredExports(dir.root, scanContracts(dir.root))).toEqual([
      {
        kind: 'uncovered',
        message: 'no contract test: @rampart/demo exports Base, Color, legacy (contracts/api/demo.api.md), which no file in contracts/demo/ imports from @rampart/demo; every public API gets L1/L2 contract tests',
      },
    ]);
  });

  it('falls back to @rampart/<report name> without a header, and finds nothing to check without contracts/api', () => {
    using dir = project({ 'contracts/api/bare.api.md': 'export function f(): void;\n', 'contracts/bare/l1.contract.test.ts': "import { f } from '@rampart/bare';\n" });
    expect(uncoveredExports(dir.root, scanContracts(dir.root))).toEqual([]);
    using none = project({ 'README.md': 'no reports' });
    expect(uncoveredExports(none.root, [])).toEqual([]);
  });

  it('fails the contracts gate, which names the exports', async () => {
    using dir = project({
      'contracts/api/demo.api.md': '## API Report File for "@rampart/demo"\n\nexport function covered(): void;\nexport function forgotten(): void;\n',
      'contracts/demo/l1.contract.test.ts': "import { describe, expect, it } from 'vitest';\nimport { covered } from '@rampart/demo';\ndescribe('demo', () => {\n  it('works', () => expect(covered()).toBeUndefined());\n});\n",
    });
    const result = await checkContracts(gateContext(dir.root), {}, passedRun);
    expect([result.status, result.summary, result.details?.[0]]).toEqual([
      'failed',
      '1 contract violation(s)',
      'no contract test: @rampart/demo exports forgotten (contracts/api/demo.api.md), which no file in contracts/demo/ imports from @rampart/demo; every public API gets L1/L2 contract tests',
    ]);
  });
});
