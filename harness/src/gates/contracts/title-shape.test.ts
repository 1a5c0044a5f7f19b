import { describe, expect, it } from 'vitest';
import { extractContractFile } from './extract.ts';
import { fitsTitle } from './title-shape.ts';

function titlesOf(source: string): Array<readonly string[][]> {
  return extractContractFile('contracts/p/l1.contract.test.ts', `import { describe, it, test } from 'vitest';\n${source}`).tests.map((test) => test.titles.map((shape) => [...shape]));
}

describe('titleShape', () => {
  it('keeps a literal name whole, with every enclosing describe', () => {
    expect(titlesOf("describe('a', () => { describe(`b`, () => { it('c %s $x', () => {}); }); });")).toEqual([[['a'], ['b'], ['c %s $x']]]);
  });

  it('opens a wildcard for each printf token, row index and $field of an .each or .for name', () => {
    expect(titlesOf("it.each([[1, 2]])('from %i to %d (%#, %$) 100%%', () => {});")).toEqual([[['from ', ' to ', ' (', ', ', ') 100', '']]]);
    expect(titlesOf("describe.each([{ unit: 'ms' }])('in $unit.name!', () => { test.for([1])('row %o', () => {}); });")).toEqual([[['in ', '!'], ['row ', '']]]);
  });

  it('opens a wildcard for each substitution of a template name, and anything for a computed name', () => {
    expect(titlesOf('for (const m of M) { it(`${m}: works in ${m}`, () => {}); }\nit(NAME, () => {});')).toEqual([[['', '']], [['', ': works in ', '']]]);
  });
});

describe('fitsTitle', () => {
  it('matches the whole name, pieces in order, treating regex characters literally', () => {
    expect(fitsTitle(['a.b (c)'], 'a.b (c)')).toBe(true);
    expect(fitsTitle(['a.b (c)'], 'axb (c)')).toBe(false);
    expect(fitsTitle(['a.b (c)'], 'a.b (c) and more')).toBe(false);
    expect(fitsTitle(['from ', ' to ', ''], 'from 1 to 2')).toBe(true);
    expect(fitsTitle(['from ', ' to ', ''], 'to 2 from 1')).toBe(false);
    expect(fitsTitle(['', ': runs'], 'line\nbreak: runs')).toBe(true);
  });
});
