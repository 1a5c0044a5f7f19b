import { describe, expect, it } from 'vitest';
import { compareSemVer, parseSemVer, satisfiesMinimum } from './semver.ts';

const v = (s: string) => {
  const parsed = parseSemVer(s);
  if (parsed === undefined) throw new Error(`bad ${s}`);
  return parsed;
};

describe('semver', () => {
  it('parses versions with prerelease and build', () => {
    expect(parseSemVer('1.2.3-rc.1+b5')).toEqual({ major: 1, minor: 2, patch: 3, prerelease: ['rc', 1] });
    expect(parseSemVer('0.0.0')).toEqual({ major: 0, minor: 0, patch: 0, prerelease: [] });
  });

  it('keeps numeric prerelease identifiers as numbers and the rest as strings', () => {
    expect(parseSemVer('1.0.0-rc1.1a.11.0')).toEqual({ major: 1, minor: 0, patch: 0, prerelease: ['rc1', '1a', 11, 0] });
    expect(parseSemVer('10.20.30-123')).toEqual({ major: 10, minor: 20, patch: 30, prerelease: [123] });
    expect(parseSemVer('1.0.0+build.123.x-y')).toEqual({ major: 1, minor: 0, patch: 0, prerelease: [] });
  });

  it.each(['1.2', '01.2.3', '1.2.3-', 'v1.2.3', '1.2.3-01', '', '1a.2.3', '1.2a.3', '1.2.3a', '1.0.0-1_', '1.0.0-_a', '1.0.0-rc._a', '1.0.0+', '1.0.0+b._', ' 1.0.0', '1.0.0 '])('rejects %j', (text) => {
    expect(parseSemVer(text)).toBeUndefined();
  });

  it('orders by the spec precedence example (semver.org section 11)', () => {
    const list = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
    for (let i = 0; i + 1 < list.length; i += 1) {
      expect(compareSemVer(v(list[i] as string), v(list[i + 1] as string))).toBe(-1);
      expect(compareSemVer(v(list[i + 1] as string), v(list[i] as string))).toBe(1);
    }
    expect(compareSemVer(v('1.0.0+a'), v('1.0.0+b'))).toBe(0);
    expect(compareSemVer(v('2.0.0'), v('1.9.9'))).toBe(1);
    expect(compareSemVer(v('1.0.0-a'), v('1.0.0-a'))).toBe(0);
    expect(compareSemVer(v('1.0.1'), v('1.0.2'))).toBe(-1);
    expect(compareSemVer(v('1.0.3'), v('1.0.3'))).toBe(0);
    expect(compareSemVer(v('1.2.0'), v('1.10.0'))).toBe(-1);
    expect(compareSemVer(v('1.0.0'), v('1.0.0'))).toBe(0);
  });

  it('applies caret semantics to the minimum core version', () => {
    expect(satisfiesMinimum(v('1.4.0'), v('1.2.0'))).toBe(true);
    expect(satisfiesMinimum(v('1.1.0'), v('1.2.0'))).toBe(false);
    expect(satisfiesMinimum(v('2.0.0'), v('1.2.0'))).toBe(false);
    expect(satisfiesMinimum(v('0.1.5'), v('0.1.0'))).toBe(true);
    expect(satisfiesMinimum(v('0.2.0'), v('0.1.0'))).toBe(false);
  });
});
