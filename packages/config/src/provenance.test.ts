import { describe, expect, it } from 'vitest';
import { displayValue, renderValue } from './provenance.ts';
import { redactTree } from './redact.ts';
import { Secret } from './secret.ts';

describe('renderValue', () => {
  it('renders JSON, truncates long text, and never throws on odd values', () => {
    expect(renderValue('x', false)).toBe('"x"');
    expect(renderValue(undefined, false)).toBe('nothing');
    expect(renderValue('y'.repeat(100), false)).toBe(`"${'y'.repeat(78)}…`);
    // Exactly 80 characters fit; 81 are cut to 79 plus the ellipsis.
    expect(renderValue('z'.repeat(78), false)).toBe(`"${'z'.repeat(78)}"`);
    expect(renderValue('z'.repeat(79), false)).toBe(`"${'z'.repeat(78)}…`);
    expect(renderValue(10n, false)).toBe('<bigint>');
    expect(renderValue(() => 1, false)).toBe('<function>');
    expect(renderValue('secret', true)).toBe('[redacted]');
  });
});

describe('redactTree', () => {
  it('keeps null and nested plain values, and redacts secrets at any depth', () => {
    expect(redactTree({ n: null, l: [null, new Secret('x')], o: { s: new Secret('y'), k: 1 } })).toEqual({ n: null, l: [null, '[redacted]'], o: { s: '[redacted]', k: 1 } });
    expect(redactTree(null)).toBeNull();
  });
});

describe('displayValue', () => {
  it('copies plain values and redacts secrets', () => {
    const value = { a: [1] };
    expect(displayValue(value, false)).toEqual(value);
    expect(displayValue(value, false)).not.toBe(value);
    expect(displayValue(value, true)).toBe('[redacted]');
    expect(displayValue(undefined, false)).toBeUndefined();
  });
});
