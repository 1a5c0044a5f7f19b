import { runCrossRules } from './cross.ts';
import type { FieldSpec } from './field.ts';
import { finalize, finalizeChildren } from './finalize.ts';
import { sanitize } from './safe-object.ts';
import { parseDuration, parseSize } from './units.ts';

/** Why a value was refused, relative to the field being checked. */
export interface Failure {
  readonly subPath: readonly string[];
  readonly kind: 'required' | 'type' | 'constraint' | 'cross-field';
  readonly expected: string;
  readonly got: unknown;
  readonly message?: string;
}

/** The outcome of checking one raw value against a field. */
export type CheckResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly failures: readonly Failure[] };

// Linear on any input: after `\d+` the only way on is a `.`, so a failed match gives each digit
// back once. The former `\d+\.?\d*` let `\d+` and `\d*` split a digit run every possible way:
// quadratic backtracking, ~1.4 s for 40k digits and a letter (a denial of service through env text).
const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const TRUE_TEXT = new Set(['true', '1', 'yes', 'on']);
const FALSE_TEXT = new Set(['false', '0', 'no', 'off']);

type Scalar = { ok: true; value: unknown } | { ok: false };
// Stryker disable next-line ObjectLiteral: only `.ok` is ever read, and `{}.ok` is as falsy as `false`
const NO: Scalar = { ok: false };

// NaN stands for "not a number": every numeric check below refuses it.
function toNumber(raw: unknown): number {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : Number.NaN;
  // `1e400` matches the grammar but overflows to Infinity: refused like any non-finite number.
  // Number() ignores surrounding whitespace itself, exactly as trim() does.
  if (typeof raw === 'string' && NUMBER_TEXT.test(raw.trim())) return toNumber(Number(raw));
  return Number.NaN;
}

function yes(value: unknown): Scalar {
  return { ok: true, value };
}

function scalar(spec: FieldSpec, raw: unknown): Scalar {
  switch (spec.kind) {
    case 'string':
      return typeof raw === 'string' ? yes(raw) : NO;
    case 'number': {
      const n = toNumber(raw);
      return Number.isNaN(n) ? NO : yes(n);
    }
    case 'integer': {
      const n = toNumber(raw);
      return Number.isSafeInteger(n) ? yes(n) : NO;
    }
    case 'port': {
      const n = toNumber(raw);
      return Number.isInteger(n) && n >= 0 && n <= 65_535 ? yes(n) : NO;
    }
    case 'boolean':
      return booleanOf(raw);
    case 'enum':
      // defineSchema and t.object refuse an enum without values (CONFIG_ERR_SCHEMA).
      return (spec.values as readonly unknown[]).includes(raw) ? yes(raw) : NO;
    case 'duration':
      return unitOf(raw, parseDuration, (n) => Number.isFinite(n) && n >= 0);
    case 'size':
      return unitOf(raw, parseSize, (n) => Number.isSafeInteger(n) && n >= 0);
    case 'url':
      return typeof raw === 'string' && URL.canParse(raw) ? yes(raw) : NO;
    // Stryker disable next-line ConditionalExpression: unreachable, checkValue sends arrays and objects elsewhere
    /* v8 ignore next 2 -- arrays and objects are dispatched before scalar(); kept for exhaustiveness */
    default:
      return NO;
  }
}

function booleanOf(raw: unknown): Scalar {
  if (typeof raw === 'boolean') return yes(raw);
  if (typeof raw !== 'string') return NO;
  const text = raw.trim().toLowerCase();
  if (TRUE_TEXT.has(text)) return yes(true);
  return FALSE_TEXT.has(text) ? yes(false) : NO;
}

function unitOf(raw: unknown, parse: (text: string) => number | undefined, valid: (n: number) => boolean): Scalar {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? parse(raw) : undefined;
  // Stryker disable next-line ConditionalExpression: valid() refuses undefined too (Number.isFinite, Number.isSafeInteger)
  return n !== undefined && valid(n) ? yes(n) : NO;
}

/**
 * What a field expects, for error messages and samples.
 * @example expectedOf(t.port().spec) // 'port (integer 0-65535)'
 */
export function expectedOf(spec: FieldSpec): string {
  switch (spec.kind) {
    case 'boolean':
      return 'boolean (true/false/1/0/yes/no/on/off)';
    case 'enum':
      return `one of ${(spec.values as readonly string[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'duration':
      return 'duration (milliseconds, or e.g. 500ms, 30s, 5m, 1h30m)';
    case 'size':
      return 'size (bytes, or e.g. 512b, 64kb, 10mb)';
    case 'url':
      return 'URL';
    case 'port':
      return 'port (integer 0-65535)';
    case 'array':
      return `array of ${spec.item === undefined ? 'values' : expectedOf(spec.item.spec)}`;
    default:
      return spec.kind;
  }
}

/**
 * Runs a field's own `.validate()` rules on an already-typed value. A rule that
 * throws fails like one that returns false, so
 * a broken rule becomes a CONFIG_ERR_VALIDATION issue with the field's path
 * instead of a raw exception from load() or reload(). Only the error's name is
 * kept: its message may quote the value, which can be a secret.
 */
export function applyRules(spec: FieldSpec, value: unknown): Failure[] {
  const failures: Failure[] = [];
  for (const rule of spec.rules) {
    let message: string | undefined;
    try {
      if (!(rule.check as (v: unknown) => boolean)(value)) message = rule.message;
    } catch (error) {
      message = `${rule.message} (validator threw ${error instanceof Error ? error.name : typeof error})`;
    }
    if (message !== undefined) failures.push({ subPath: [], kind: 'constraint', expected: message, got: value, message });
  }
  return failures;
}

// Env vars and .env files deliver text: an array arrives as JSON (`["a","b"]`) or comma-separated (`a, b`).
function arrayItems(raw: unknown): readonly unknown[] | undefined {
  if (Array.isArray(raw)) return raw as readonly unknown[];
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (text.startsWith('[')) {
    let parsed: unknown[];
    try {
      // JSON text that starts with `[` can only parse to an array.
      parsed = JSON.parse(text) as unknown[];
    } catch {
      // Not JSON after all: report it as a type failure, like any other malformed text.
      return undefined;
    }
    // As for a JSON file: a `__proto__` key in the text is refused, not silently dropped.
    return sanitize(parsed, 'JSON array text') as unknown[];
  }
  return text === '' ? [] : text.split(',').map((part) => part.trim());
}

function prefixed(index: string, failures: readonly Failure[]): Failure[] {
  return failures.map((f) => ({ ...f, subPath: [index, ...f.subPath] }));
}

function checkArray(spec: FieldSpec, raw: unknown): CheckResult {
  const items = arrayItems(raw);
  if (items === undefined) return { ok: false, failures: [{ subPath: [], kind: 'type', expected: expectedOf(spec), got: raw }] };
  const values: unknown[] = [];
  const failures: Failure[] = [];
  items.forEach((item, index) => {
    const result = spec.item === undefined ? { ok: true as const, value: item } : checkValue(spec.item.spec, item);
    if (result.ok) values.push(result.value);
    else failures.push(...prefixed(String(index), result.failures));
  });
  return failures.length > 0 ? { ok: false, failures } : { ok: true, value: values };
}

function isPlainRecord(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

function checkObject(spec: FieldSpec, raw: unknown): CheckResult {
  if (!isPlainRecord(raw)) return { ok: false, failures: [{ subPath: [], kind: 'type', expected: 'object', got: raw }] };
  const value: Record<string, unknown> = {};
  const failures: Failure[] = [];
  for (const [key, child] of Object.entries(spec.shape ?? {})) {
    const given = Object.hasOwn(raw, key) ? raw[key] : undefined;
    const result = resolveMissing(child.spec, given);
    if (result.ok) value[key] = result.value;
    else failures.push(...prefixed(key, result.failures));
  }
  if (failures.length > 0) return { ok: false, failures };
  // Objects inside arrays get their cross-field rules here; top-level objects get them in the resolver.
  const cross = runCrossRules(spec, finalizeChildren(spec, value));
  if (cross.length === 0) return { ok: true, value };
  return { ok: false, failures: cross.map((c) => ({ subPath: c.subPath, kind: 'cross-field' as const, expected: c.message, got: undefined, message: c.message })) };
}

const checkedDefaults = new WeakMap<FieldSpec, unknown>();

/**
 * A field's default as a source value would resolve: coerced and completed (an
 * object default's missing fields take their own defaults, a duration written as
 * text becomes milliseconds), so a value does not depend on whether a source or
 * the default supplied it. defineSchema checked every default; one that fails
 * (a spec compiled without defineSchema) is kept as written.
 * @example defaultOf(t.array(t.object({ port: t.port().default(80) })).default([{}] as never).spec) // [{ port: 80 }]
 */
export function defaultOf(spec: FieldSpec): unknown {
  // Once per spec: a load compiles its plan anew, and checking 1000 defaults each time cost a third of a load (measured).
  // Stryker disable next-line ConditionalExpression,BlockStatement: without the cache the same value is computed again (slower)
  if (checkedDefaults.has(spec)) return checkedDefaults.get(spec);
  const result = checkValue(spec, spec.defaultValue);
  const value = result.ok ? result.value : spec.defaultValue;
  // Shared by every load, like the default as written was: finalize copies what it freezes or wraps, so nothing changes it.
  checkedDefaults.set(spec, value);
  return value;
}


function resolveMissing(spec: FieldSpec, raw: unknown): CheckResult {
  if (raw !== undefined && raw !== null) return checkValue(spec, raw);
  if (spec.hasDefault) return { ok: true, value: defaultOf(spec) };
  if (spec.optional) return { ok: true, value: undefined };
  return { ok: false, failures: [{ subPath: [], kind: 'required', expected: expectedOf(spec), got: undefined }] };
}

/**
 * The value a field's own rules see: what its type says (`InferField`), so
 * secrets nested in it are wrapped, while the field's own secret marker is not
 * applied (as its `Field<T, O, S>` keeps `T` unwrapped). Values reaching here
 * passed their kind's check: an object field holds a plain object, an array field an array.
 */
function typedForRules(spec: FieldSpec, value: unknown): unknown {
  if (spec.kind === 'object') return finalizeChildren(spec, value as Record<string, unknown>);
  if (spec.kind === 'array') return finalize({ ...spec, secret: false }, value);
  return value;
}

/**
 * Coerces one raw value (text from env, or a parsed file value) to the field's type,
 * then runs the field's own rules. Secrets are not wrapped here.
 * @example checkValue(t.integer().spec, '42') // { ok: true, value: 42 }
 */
export function checkValue(spec: FieldSpec, raw: unknown): CheckResult {
  let result: CheckResult;
  if (spec.kind === 'array') result = checkArray(spec, raw);
  else if (spec.kind === 'object') result = checkObject(spec, raw);
  else {
    const s = scalar(spec, raw);
    result = s.ok ? s : { ok: false, failures: [{ subPath: [], kind: 'type', expected: expectedOf(spec), got: raw }] };
  }
  // Stryker disable next-line ConditionalExpression: without rules applyRules finds nothing; the check only skips building the typed view
  if (!result.ok || spec.rules.length === 0) return result;
  const failures = applyRules(spec, typedForRules(spec, result.value));
  return failures.length > 0 ? { ok: false, failures } : result;
}
