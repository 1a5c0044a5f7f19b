import { describe, expect, it } from 'vitest';
import { normalizeReport } from '../api/reports.ts';
import { brokenSymbols, reportCode, symbolsOf } from './api-diff.ts';
import { bumpFor, parseChangeset } from './changesets.ts';

const report = (code: string) => `## API Report File for "x"\n\n\`\`\`ts\n\n${code}\n\n\`\`\`\n`;

describe('brokenSymbols', () => {
  const before = report(
    [
      '// @public',
      'export function parse(text: string): number;',
      'export function parse(text: string, radix: number): number;',
      'export class Vault<T> {',
      '    constructor(key: string);',
      '    encrypt(data: T): string;',
      '    [key: string]: unknown;',
      '}',
      'export interface Options extends Base {',
      '    retries?: number;',
      '}',
      'export type Mode = "a" | "b";',
      'export const VERSION: string, LIMIT: number;',
      'export enum Level {',
      '    Low = 0,',
      '    High = 1',
      '}',
      'export {};',
    ].join('\n'),
  );

  it('finds nothing when only comments and formatting change', () => {
    expect(brokenSymbols(before, before.replace('// @public', '// @beta').replaceAll('    ', '  '))).toEqual([]);
  });

  it('accepts additions: a new export, overload, member or union-free alias', () => {
    const after = before
      .replace('export type Mode', 'export function extra(): void;\nexport type Mode')
      .replace('    retries?: number;', '    retries?: number;\n    timeout?: number;')
      .replace('export function parse(text: string): number;', 'export function parse(text: string): number;\nexport function parse(text: Buffer): number;')
      .replace('    encrypt(data: T): string;', '    encrypt(data: T): string;\n    encrypt(data: T, aad: string): string;')
      .replace('    High = 1', '    High = 1,\n    Max = 2');
    expect(brokenSymbols(before, after)).toEqual([]);
  });

  it('names a function or method whose overload is removed or changed, even when one is added', () => {
    const removed = before.replace('export function parse(text: string, radix: number): number;\n', '');
    expect(brokenSymbols(before, removed)).toEqual(['parse']);
    const changed = before
      .replace('parse(text: string, radix: number)', 'parse(text: string, radix: bigint)')
      .replace('    encrypt(data: T): string;', '    encrypt(data: T, aad: string): string;');
    expect(brokenSymbols(before, changed)).toEqual(['Vault.encrypt', 'parse']);
  });

  it('names a removed or changed enum member and a changed enum kind, not the members kept', () => {
    const after = before.replace('    Low = 0,\n', '').replace('High = 1', 'High = 2');
    expect(brokenSymbols(before, after)).toEqual(['Level.High', 'Level.Low']);
    expect(brokenSymbols(before, before.replace('export enum Level', 'export const enum Level'))).toEqual(['Level']);
  });

  it('treats a constant typed as an object like an enum: a new entry is an addition, a removed or changed one breaks', () => {
    const registry = (entries: string, wrapper = 'Readonly') => report(`export const ERRORS: ${wrapper}<{\n${entries}\n}>;`);
    const a = '    readonly A: {\n        readonly category: "validation";\n    };';
    const b = '    readonly B: {\n        readonly category: "lifecycle";\n    };';
    expect(brokenSymbols(registry(a), registry(`${a}\n${b}`))).toEqual([]);
    expect(brokenSymbols(registry(`${a}\n${b}`), registry(a))).toEqual(['ERRORS.B']);
    expect(brokenSymbols(registry(a), registry(a.replace('validation', 'config')))).toEqual(['ERRORS.A']);
    expect(brokenSymbols(registry(a), registry(a, 'Partial'))).toEqual(['ERRORS', 'ERRORS.A']);
    expect(brokenSymbols(report(`export const PLAIN: {\n${a}\n};`), report(`export const PLAIN: {\n${a}\n${b}\n};`))).toEqual([]);
  });

  it('names a removed export, a changed member, a changed header and a changed constant', () => {
    const after = before
      .replace('export type Mode = "a" | "b";', '')
      .replace('encrypt(data: T): string;', 'encrypt(data: T, aad: string): string;')
      .replace('extends Base', 'extends Other')
      .replace('LIMIT: number', 'LIMIT: bigint');
    expect(brokenSymbols(before, after)).toEqual(['LIMIT', 'Mode', 'Options', 'Vault.encrypt']);
  });

  it('keys members by name and unnamed members by kind', () => {
    expect([...symbolsOf(before).keys()]).toEqual([
      'parse',
      'Vault',
      'Vault.Constructor',
      'Vault.encrypt',
      'Vault.IndexSignature',
      'Options',
      'Options.retries',
      'Mode',
      'VERSION',
      'LIMIT',
      'Level',
      'Level.Low',
      'Level.High',
    ]);
  });

  it('reads a report with CRLF or CR line endings or re-indented lines as the same report, as API Extractor does', () => {
    const crlf = before.replaceAll('\n', '\r\n');
    const shifted = before.replace(/^/gm, ' ').replaceAll('\n', ' \t\n');
    expect(normalizeReport(crlf)).toBe(normalizeReport(before));
    expect(normalizeReport(before.replaceAll('\n', '\r'))).toBe(normalizeReport(before));
    expect([...symbolsOf(crlf).keys()]).toEqual([...symbolsOf(before).keys()]);
    for (const variant of [crlf, shifted]) {
      expect(brokenSymbols(before, variant)).toEqual([]);
      expect(brokenSymbols(variant, before)).toEqual([]);
    }
    // A CRLF base report still shows a break, instead of reading as no symbols at all.
    expect(brokenSymbols(crlf, before.replace('LIMIT: number', 'LIMIT: bigint'))).toEqual(['LIMIT']);
  });

  it('reads an empty report as no symbols', () => {
    expect(reportCode('no code block')).toBe('');
    expect(brokenSymbols(report(''), report('export declare const a: 1;'))).toEqual([]);
  });
});

describe('parseChangeset and bumpFor', () => {
  it('reads quoted and bare names and every bump type', () => {
    const parsed = parseChangeset('a.md', '---\n"@rampart/a": major\n\'@rampart/b\': minor\nplain: patch\n"@rampart/c": none\n---\n\ntext');
    expect([...parsed.releases]).toEqual([['@rampart/a', 'major'], ['@rampart/b', 'minor'], ['plain', 'patch'], ['@rampart/c', 'none']]);
    expect(parsed.problems).toEqual([]);
  });

  it('reads an empty changeset (changeset --empty) as naming nothing', () => {
    expect(parseChangeset('e.md', '---\n---\n')).toEqual({ releases: new Map(), problems: [] });
  });

  it('takes the highest bump across changesets', () => {
    const sets = [parseChangeset('1.md', '---\n"p": patch\n---\n'), parseChangeset('2.md', '---\n"p": major\n"q": minor\n---\n'), parseChangeset('3.md', '---\n"p": minor\n---\n')];
    expect(bumpFor(sets, 'p')).toBe('major');
    expect(bumpFor(sets, 'q')).toBe('minor');
    expect(bumpFor(sets, 'r')).toBeUndefined();
  });
});
