import { describe, expect, it } from 'vitest';
import { ACCEPT_SCAN_LIMIT, mediaTypeVersion } from './media-type-version.ts';

const any = (accept: string) => mediaTypeVersion(accept, undefined, 'v');

describe('mediaTypeVersion', () => {
  it('reads the vnd form for any vendor, the first range that names a version winning', () => {
    expect(any('application/vnd.acme.v2+json')).toBe('2');
    expect(any('text/html, application/vnd.acme.corp.v2024-10-01+json;q=0.9, application/vnd.x.v9+json')).toBe('2024-10-01');
    expect(any('APPLICATION/VND.ACME.V7+JSON')).toBe('7');
    expect(any('application/vnd.acme.vBeta+json')).toBe('Beta');
    expect(any('text/html, application/vnd.acme.v2+json ;q=0.9')).toBe('2');
    expect(any('application/vnd.acme.v2_1+json')).toBe('2_1');
  });

  it('the version follows the last `.v`: vendors may hold `v`, dots, `.v` and digits', () => {
    // Regression: the first `.v` was taken, so vendor `acme.vision` made the version `ision.v2`.
    expect(any('application/vnd.acme.vision.v2+json')).toBe('2');
    expect(any('application/vnd.vendor.v3+json')).toBe('3');
    expect(any('application/vnd.dev.v1+json')).toBe('1');
    expect(any('application/vnd.v.v4+json')).toBe('4');
    expect(any('application/vnd.acme.v2.v3+json')).toBe('3');
    expect(any('application/vnd.acme2.vision3.v10+json')).toBe('10');
    expect(any('application/vnd.a1.b-2.v2024-10-01+json')).toBe('2024-10-01');
    expect(any('application/vnd.acme.vision.v2.1+json')).toBe('2.1');
    expect(any('APPLICATION/VND.ACME.VISION.V7+JSON')).toBe('7');
    expect(any('application/vnd.acme.vision.v+json')).toBeUndefined();
    expect(any('application/vnd.acme.vision.v2!+json')).toBeUndefined();
  });

  it('an explicit parameter wins over the vnd form of the same range', () => {
    expect(any('application/vnd.acme.vision+json; v=2')).toBe('2');
    expect(mediaTypeVersion('application/vnd.acme.vision+json;version=5', undefined, 'version')).toBe('5');
    expect(any('application/vnd.acme.v3+json; v=bad/one')).toBe('3');
  });

  it('ignores `.v` segments a valid vendor and version cannot come from', () => {
    const long = 'x'.repeat(40);
    expect(any(`application/vnd.a.v${long}.v2+json`)).toBe('2');
    expect(any(`application/vnd.a.v${'y'.repeat(32)}+json`)).toBe('y'.repeat(32));
    expect(any(`application/vnd.a.v${'y'.repeat(33)}+json`)).toBeUndefined();
  });

  it('refuses a missing or malformed vendor or version', () => {
    expect(any('application/vnd.v2+json')).toBeUndefined();
    expect(any('application/vnd..v2+json')).toBeUndefined();
    expect(any('application/vnd.a_b.v2+json')).toBeUndefined();
    expect(any('application/vnd.acme.v+json')).toBeUndefined();
    expect(any('application/vnd.acme.v2 3+json')).toBeUndefined();
    expect(any('application/vnd.acme.v2+xml')).toBeUndefined();
    expect(any('application/acme.v2+json')).toBeUndefined();
    expect(any('application/abcdacme.v2+json')).toBeUndefined();
    expect(any('vnd.acme.v2+json')).toBe('2');
  });

  it('a configured vendor is literal and case-insensitive', () => {
    expect(mediaTypeVersion('application/vnd.ac.me.v2+json', 'ac.me', 'v')).toBe('2');
    expect(mediaTypeVersion('application/vnd.acme.vision.v2+json', 'acme.vision', 'v')).toBe('2');
    expect(mediaTypeVersion('application/VND.ACME.VISION.V2+json', 'acme.vision', 'v')).toBe('2');
    // Another vendor of the same tree is not this vendor (the version used to be `ision.v2`).
    expect(mediaTypeVersion('application/vnd.acme.vision.v2+json', 'acme', 'v')).toBeUndefined();
    expect(mediaTypeVersion('application/vnd.acme.v2.1+json', 'acme', 'v')).toBe('2.1');
    expect(mediaTypeVersion('application/VND.AC.ME.V3+json', 'ac.me', 'v')).toBe('3');
    expect(mediaTypeVersion('application/vnd.acxme.v2+json', 'ac.me', 'v')).toBeUndefined();
    expect(mediaTypeVersion('application/vnd.ac.me.v2!+json', 'ac.me', 'v')).toBeUndefined();
  });

  it('reads a parameter named `key`, case-insensitively, from any range', () => {
    expect(any('application/json; v=4')).toBe('4');
    expect(any('text/html, application/json;q=1;  V = 5 ')).toBe('5');
    expect(mediaTypeVersion('application/json;version=6', undefined, 'version')).toBe('6');
    expect(any('application/json;version=6')).toBeUndefined();
    expect(any('application/json;v')).toBeUndefined();
    expect(any('application/json;vv')).toBeUndefined();
    expect(any('application/json;v=bad/one')).toBeUndefined();
    expect(any('application/json')).toBeUndefined();
  });

  it(`examines only the first ${ACCEPT_SCAN_LIMIT} bytes`, () => {
    const padding = `text/html;q=0.1, ${'a'.repeat(ACCEPT_SCAN_LIMIT)}`;
    expect(any(`${padding}, application/json;v=2`)).toBeUndefined();
    const fits = 'application/json;v=2';
    expect(any(`${'b'.repeat(ACCEPT_SCAN_LIMIT - fits.length - 1)},${fits}`)).toBe('2');
    expect(any(`${'b'.repeat(ACCEPT_SCAN_LIMIT - fits.length)},${fits}`)).toBeUndefined();
  });

  it('finds nothing in hostile headers of 64 KiB', () => {
    const size = 64 * 1024;
    for (const unit of ['vnd.', 'vnd.a.v1', '.v1', 'a.v', ';v', ',', 'vnd.a.v1+jso;v=', 'vnd.a.v1+json'.slice(1)]) {
      expect(any(unit.repeat(Math.ceil(size / unit.length)))).toBeUndefined();
    }
  });
});
