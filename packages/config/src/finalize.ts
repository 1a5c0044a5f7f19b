import type { FieldSpec } from './field.ts';
import { Secret } from './secret.ts';

/**
 * Turns a checked raw value into what users see: secrets wrapped at the field
 * that declared them (so `InferShape` matches), every object and array frozen.
 * @example finalize(t.string().secret().spec, 'pw') // Secret('[redacted]')
 */
export function finalize(spec: FieldSpec, value: unknown): unknown {
  if (value === undefined) return undefined;
  let out: unknown = value;
  // Values reaching here passed checkValue: an array field holds an array, an object field a plain object.
  if (spec.kind === 'array') {
    const item = spec.item;
    out = item === undefined ? [...(value as unknown[])] : (value as unknown[]).map((v) => finalize(item.spec, v));
  } else if (spec.kind === 'object') {
    out = finalizeChildren(spec, value as Record<string, unknown>);
  }
  // Object.freeze returns a primitive unchanged.
  out = Object.freeze(out);
  return spec.secret ? new Secret(out) : out;
}

/** Finalizes every child of an object value (the object itself is neither wrapped nor frozen). */
export function finalizeChildren(spec: FieldSpec, value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(spec.shape ?? {})) {
    out[key] = finalize(child.spec, Object.hasOwn(value, key) ? value[key] : undefined);
  }
  return out;
}
