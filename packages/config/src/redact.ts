import { Secret, REDACTED_TEXT } from './secret.ts';

/**
 * A plain, JSON-safe copy of a resolved value with every secret replaced by `[redacted]`.
 * @example redactTree({ password: new Secret('x') }) // { password: '[redacted]' }
 */
export function redactTree(value: unknown): unknown {
  if (Secret.isSecret(value)) return REDACTED_TEXT;
  if (Array.isArray(value)) return value.map(redactTree);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, redactTree(child)]));
}
