import { describe, expect, it } from 'vitest';
import { t } from './builders.ts';
import { isBlankUnset, isTextSource } from './empty-text.ts';

describe('isBlankUnset', () => {
  it.each([
    [t.port(), ''],
    [t.number(), ' '],
    [t.integer(), '\t'],
    [t.boolean(), ''],
    [t.duration(), ''],
    [t.size(), ''],
    [t.url(), ''],
    [t.enum(['a']), ''],
    [t.object({ a: t.string() }), ''],
  ])('reads blank text as unset for a type without a blank value %#', (field, raw) => {
    expect(isBlankUnset(field.spec, raw)).toBe(true);
  });

  it.each([
    [t.string(), ''],
    [t.string(), '  '],
    [t.array(t.integer()), ''],
    [t.enum(['', 'a']), ''],
    [t.port(), '0'],
    [t.port(), ' 8 '],
    [t.port(), 0],
    [t.port(), undefined],
  ])('keeps text that is not blank, and blank text a type can hold, as a value %#', (field, raw) => {
    expect(isBlankUnset(field.spec, raw)).toBe(false);
  });
});

describe('isTextSource', () => {
  it('names the env and .env feeders only', () => {
    expect(['env', 'dotenv', 'yaml', 'json', 'object', 'vault'].filter(isTextSource)).toEqual(['env', 'dotenv']);
  });
});
