/**
 * Error-message helpers: "Did you mean" suggestions for missing names
 * (Damerau-free Levenshtein distance, small enough to run only on the error
 * path), and a rendering of any value that cannot itself throw.
 */

/**
 * `value` for an error message: strings quoted, other primitives as String()
 * gives them, objects and functions by type. JSON.stringify throws on a BigInt
 * and String() on an object without a prototype, and a validator that throws a
 * TypeError while describing bad input hides the coded error it was building.
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') return `a value of type ${typeof value}`;
  return String(value);
}

/**
 * The message of a thrown value, for reports about a failure: an Error's
 * message, a string as is, other values as String() gives them. String()
 * throws on an object without a prototype (or with a throwing toString), and
 * a report that throws while describing a failure skipped the rollback it
 * belonged to, left stop() half done and kept timeout wrappers from ever
 * settling: such a value is described by formatValue() instead.
 */
export function thrownMessage(value: unknown): string {
  try {
    if (value instanceof Error) return String(value.message);
    return typeof value === 'string' ? value : String(value);
  } catch {
    return formatValue(value);
  }
}

/** Edit distance between two strings (insert, delete, substitute). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitute = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitute));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * Known names close to `wanted` (case-insensitive distance at most a third of
 * its length, at least 1; substrings count too), best first, at most `limit`.
 * Empty strings are skipped on both sides: '' is a substring of every name, so
 * it would "match" whatever is known.
 */
export function closeNames(wanted: string, known: Iterable<string>, limit = 3): string[] {
  const target = wanted.toLowerCase();
  if (target === '') return [];
  const budget = Math.max(1, Math.floor(target.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(known)) {
    if (name === '') continue;
    const lower = name.toLowerCase();
    const distance = editDistance(target, lower);
    const contains = lower.includes(target) || target.includes(lower);
    if (distance <= budget || contains) scored.push({ name, score: contains ? Math.min(distance, budget) : distance });
  }
  scored.sort((x, y) => x.score - y.score || (x.name < y.name ? -1 : 1));
  return scored.slice(0, limit).map((s) => s.name);
}
