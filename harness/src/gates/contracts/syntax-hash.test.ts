import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { canonicalSyntax, hashSyntax, hashText } from './syntax-hash.ts';

function hashOf(code: string): string {
  const file = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
  return hashSyntax(file.statements);
}

describe('hashSyntax', () => {
  it('ignores formatting, comments, quote style, trailing commas and numeric separators', () => {
    const a = hashOf("const x = f('a', [1, 2]); // note\nlet y = 1000;");
    const b = hashOf('/* lead */ const   x=f( "a" , [1,2,] )\n\nlet y = 1_000');
    expect(b).toBe(a);
  });

  const different: Array<[string, string, string]> = [
    ['a literal', 'f(1)', 'f(2)'],
    ['a string', "f('a')", "f('b')"],
    ['a called function', 'f(1)', 'g(1)'],
    ['a prefix operator', 'f(-1)', 'f(+1)'],
    ['a postfix operator', 'x++', 'x--'],
    ['a binary operator', 'a === b', 'a !== b'],
    ['let versus const', 'let a = 1', 'const a = 1'],
    ['a type operator', 'type A = keyof B', 'type A = readonly B'],
    ['a meta property', 'f(import.meta)', 'f(new.target)'],
    ['a template part', 'f(`a${x}b`)', 'f(`a${x}c`)'],
    ['a bigint', 'f(1n)', 'f(2n)'],
    ['a regular expression', 'f(/a/)', 'f(/b/)'],
    ['a private name', 'class A { #a = 1 }', 'class A { #b = 1 }'],
    ['a type annotation', 'const a: number = 1', 'const a: unknown = 1'],
    ['an await', 'async () => { await f() }', 'async () => { f() }'],
  ];

  it.each(different)('changes with %s', (_label, before, after) => {
    expect(hashOf(after)).not.toBe(hashOf(before));
  });

  it('is a 128-bit hex digest', () => {
    expect(hashOf('f()')).toMatch(/^[0-9a-f]{32}$/);
    expect(hashText('import x from "y"')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('prints kinds by stable name, never by number', () => {
    const file = ts.createSourceFile('x.ts', 'f(1)', ts.ScriptTarget.Latest, true);
    expect(canonicalSyntax(file.statements[0] as ts.Node)).toBe('(ExpressionStatement (CallExpression (Identifier f) (NumericLiteral 1)))');
  });
});
