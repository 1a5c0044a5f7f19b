import { describe, expect, it } from 'vitest';
import { t } from './builders.ts';
import { checkValue, expectedOf } from './coerce.ts';
import { defineSchema } from './schema.ts';
import { Secret } from './secret.ts';

const ok = (value: unknown) => ({ ok: true, value });
const typeFail = (expected: string, got: unknown, subPath: string[] = []) => ({ ok: false, failures: [{ subPath, kind: 'type', expected, got }] });

describe('checkValue', () => {
  it.each([
    [t.string(), 'a', 'a'],
    [t.number(), '1.5', 1.5],
    [t.number(), ' -2e3 ', -2000],
    [t.number(), 7, 7],
    [t.integer(), '42', 42],
    [t.port(), '8080', 8080],
    [t.port(), 0, 0],
    [t.boolean(), 'YES', true],
    [t.boolean(), 'off', false],
    [t.boolean(), false, false],
    [t.enum(['a', 'b']), 'b', 'b'],
    [t.duration(), '30s', 30_000],
    [t.duration(), 250, 250],
    [t.size(), '1kb', 1024],
    [t.size(), 10, 10],
    [t.url(), 'https://x.test/a', 'https://x.test/a'],
    [t.array(t.integer()), '1, 2,3', [1, 2, 3]],
    [t.array(t.integer()), '[1,2]', [1, 2]],
    [t.array(t.string()), '', []],
    [t.array(t.string()), ['a'], ['a']],
  ])('coerces %#', (field, raw, value) => {
    expect(checkValue(field.spec, raw)).toEqual(ok(value));
  });

  it.each([
    [t.string(), 5],
    [t.number(), 'abc'],
    [t.number(), ''],
    [t.number(), Number.NaN],
    [t.number(), Infinity],
    [t.number(), '1e400'],
    [t.number(), true],
    [t.integer(), '1.5'],
    [t.integer(), 2 ** 60],
    [t.port(), 65_536],
    [t.port(), -1],
    [t.port(), '80.5'],
    [t.boolean(), 'maybe'],
    [t.boolean(), 1],
    [t.enum(['a']), 'c'],
    [t.enum(['a']), 1],
    [t.duration(), '-1s'],
    [t.duration(), -5],
    [t.duration(), {}],
    [t.size(), 1.5],
    [t.size(), 'big'],
    [t.url(), 'not a url'],
    [t.url(), 1],
    [t.array(t.string()), 5],
    [t.array(t.string()), '[broken'],
    [t.array(t.string()), null],
  ])('refuses %# with a type failure', (field, raw) => {
    expect(checkValue(field.spec, raw)).toEqual(typeFail(expectedOf(field.spec), raw));
  });

  it('reports a bad array item at its index', () => {
    expect(checkValue(t.array(t.integer()).spec, ['1', 'x', '3', 'y'])).toEqual({
      ok: false,
      failures: [
        { subPath: ['1'], kind: 'type', expected: 'integer', got: 'x' },
        { subPath: ['3'], kind: 'type', expected: 'integer', got: 'y' },
      ],
    });
  });

  it('checks objects inside arrays with defaults, required children and rules', () => {
    const item = t.object({ host: t.string(), port: t.port().default(80), tag: t.string().optional() });
    expect(checkValue(t.array(item).spec, [{ host: 'a' }, { host: 'b', port: '81' }])).toEqual(
      ok([
        { host: 'a', port: 80, tag: undefined },
        { host: 'b', port: 81, tag: undefined },
      ]),
    );
    expect(checkValue(t.array(item).spec, [{ port: 1 }, 5])).toEqual({
      ok: false,
      failures: [
        { subPath: ['0', 'host'], kind: 'required', expected: 'string', got: undefined },
        { subPath: ['1'], kind: 'type', expected: 'object', got: 5 },
      ],
    });
    expect(checkValue(item.spec, [])).toEqual(typeFail('object', []));
  });

  it('runs cross-field rules of a nested schema inside arrays, with secrets wrapped', () => {
    const seen: unknown[] = [];
    const schema = defineSchema(
      { min: t.integer(), max: t.integer(), key: t.string().secret() },
      { validate: [(v) => (seen.push(v.key), v.min <= v.max ? undefined : { path: 'max', message: 'max < min' })] },
    );
    const result = checkValue(t.array(t.object(schema)).spec, [{ min: 1, max: 2, key: 'k' }, { min: 3, max: 2, key: 'k' }]);
    expect(result).toEqual({ ok: false, failures: [{ subPath: ['1', 'max'], kind: 'cross-field', expected: 'max < min', got: undefined, message: 'max < min' }] });
    expect(seen.every((s) => s instanceof Secret)).toBe(true);
  });

  it('runs field rules after coercion and reports each failing one', () => {
    const even = t.integer().validate((n) => n % 2 === 0, 'must be even').validate((n) => n > 10, 'must be > 10');
    expect(checkValue(even.spec, '12')).toEqual(ok(12));
    expect(checkValue(even.spec, '3')).toEqual({
      ok: false,
      failures: [
        { subPath: [], kind: 'constraint', expected: 'must be even', got: 3, message: 'must be even' },
        { subPath: [], kind: 'constraint', expected: 'must be > 10', got: 3, message: 'must be > 10' },
      ],
    });
  });

  it('describes what each kind expects', () => {
    expect(expectedOf(t.enum(['a', 'b']).spec)).toBe('one of "a", "b"');
    expect(expectedOf(t.array(t.port()).spec)).toBe('array of port (integer 0-65535)');
    expect(expectedOf(t.boolean().spec)).toBe('boolean (true/false/1/0/yes/no/on/off)');
    expect(expectedOf(t.duration().spec)).toBe('duration (milliseconds, or e.g. 500ms, 30s, 5m, 1h30m)');
    expect(expectedOf(t.size().spec)).toBe('size (bytes, or e.g. 512b, 64kb, 10mb)');
    expect(expectedOf(t.url().spec)).toBe('URL');
    expect(expectedOf(t.object({}).spec)).toBe('object');
  });
});

describe('checkValue edges', () => {
  it('follows the number grammar exactly: decimals and leading dots, no hex, separators or partial text', () => {
    expect(checkValue(t.number().spec, '12.5')).toEqual(ok(12.5));
    expect(checkValue(t.number().spec, '.25')).toEqual(ok(0.25));
    expect(checkValue(t.number().spec, ' 7 ')).toEqual(ok(7));
    for (const text of ['0x10', '1_000', '5px', 'x5', '.x']) expect(checkValue(t.number().spec, text)).toEqual(typeFail('number', text));
  });

  it('accepts every boolean word, trimmed and in any case', () => {
    for (const text of ['true', '1', 'yes', 'on', ' On ']) expect(checkValue(t.boolean().spec, text)).toEqual(ok(true));
    for (const text of ['false', '0', 'no', 'off', ' NO ']) expect(checkValue(t.boolean().spec, text)).toEqual(ok(false));
  });

  it('checks the port and size boundaries', () => {
    expect(checkValue(t.port().spec, 65_535)).toEqual(ok(65_535));
    expect(checkValue(t.port().spec, '65535')).toEqual(ok(65_535));
    expect(checkValue(t.size().spec, 0)).toEqual(ok(0));
    expect(checkValue(t.size().spec, -1)).toEqual(typeFail(expectedOf(t.size().spec), -1));
    expect(checkValue(t.duration().spec, 0)).toEqual(ok(0));
  });

  it('takes a URL only as text, not as a URL object', () => {
    const url = new URL('https://x.test/');
    expect(checkValue(t.url().spec, url)).toEqual(typeFail('URL', url));
  });

  it('trims array text before choosing JSON or comma-separated, and trims each item', () => {
    expect(checkValue(t.array(t.integer()).spec, ' [1,2] ')).toEqual(ok([1, 2]));
    expect(checkValue(t.array(t.string()).spec, ' a , b ')).toEqual(ok(['a', 'b']));
    expect(checkValue(t.array(t.string()).spec, '   ')).toEqual(ok([]));
  });

  it('keeps the items of an untyped array (a JS caller without an item field) as given', () => {
    const untyped = t.array(undefined as never);
    expect(expectedOf(untyped.spec)).toBe('array of values');
    expect(checkValue(untyped.spec, [1, 'a', null])).toEqual(ok([1, 'a', null]));
    expect(checkValue(untyped.spec, 5)).toEqual(typeFail('array of values', 5));
  });

  it('runs object rules on finalized children: secrets wrapped, arrays frozen', () => {
    const seen: unknown[] = [];
    const field = t.object({ key: t.string().secret(), tags: t.array(t.string()) }).validate((v) => (seen.push(v), true), 'never');
    expect(checkValue(field.spec, { key: 'k', tags: ['a'] })).toEqual(ok({ key: 'k', tags: ['a'] }));
    const [value] = seen as [{ key: unknown; tags: unknown }];
    expect(value.key).toBeInstanceOf(Secret);
    expect(Object.isFrozen(value.tags)).toBe(true);
  });
});

describe('checkValue of nested objects', () => {
  it('refuses a null array item where an object belongs', () => {
    expect(checkValue(t.array(t.object({ a: t.integer().default(1) })).spec, [null])).toEqual(typeFail('object', null, ['0']));
  });

  it('treats a null child as missing: its default applies', () => {
    const item = t.object({ port: t.port().default(80), name: t.string().optional() });
    expect(checkValue(t.array(item).spec, [{ port: null, name: null }])).toEqual(ok([{ port: 80, name: undefined }]));
  });
});
