import { describe, expect, it } from 'vitest';
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
      .replace('export function parse(text: string): number;', 'export function parse(text: string): number;\nexport function parse(text: Buffer): number;');
    expect(brokenSymbols(before, after)).toEqual(['parse']);
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
    ]);
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
