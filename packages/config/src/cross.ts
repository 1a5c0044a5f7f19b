import type { CrossFieldIssue, CrossFieldResult, FieldSpec } from './field.ts';

/** A cross-field problem, with its path relative to the validated object. */
export interface CrossFailure {
  readonly subPath: readonly string[];
  readonly message: string;
}

function normalize(result: CrossFieldResult): readonly CrossFieldIssue[] {
  if (result === undefined || result === null) return [];
  if (typeof result === 'string') return [{ path: '', message: result }];
  return Array.isArray(result) ? (result as readonly CrossFieldIssue[]) : [result as CrossFieldIssue];
}

/**
 * Runs an object's cross-field validators on its resolved value. A validator that
 * throws is reported as a failure naming the error's class, not propagated: one
 * broken rule must not hide the others.
 * @example runCrossRules(spec, { min: 5, max: 1 }) // [{ subPath: ['max'], message: 'max < min' }]
 */
export function runCrossRules(spec: FieldSpec, value: unknown): CrossFailure[] {
  const failures: CrossFailure[] = [];
  for (const rule of spec.crossRules) {
    let result: CrossFieldResult;
    try {
      result = (rule as (v: unknown) => CrossFieldResult)(value);
    } catch (error) {
      // As with field rules (applyRules), only the error's class is kept: its message may
      // quote a value the rule read, and rules read revealed secrets (`JSON.parse(c.key.reveal())`).
      result = `validator threw ${error instanceof Error ? error.name : typeof error}`;
    }
    for (const issue of normalize(result)) {
      failures.push({ subPath: issue.path === '' ? [] : issue.path.split('.'), message: issue.message });
    }
  }
  return failures;
}
