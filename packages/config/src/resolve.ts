import type { CheckResult, Failure } from './coerce.ts';
import { applyRules, checkValue, expectedOf } from './coerce.ts';
import { runCrossRules } from './cross.ts';
import { isBlankUnset, isTextSource } from './empty-text.ts';
import type { ConfigIssue } from './errors.ts';
import { ConfigError, isConfigError } from './errors.ts';
import { finalize, finalizeChildren } from './finalize.ts';
import type { LeafNode, ObjectNode, Plan, PlanNode } from './plan.ts';
import { mayBeAbsent } from './plan.ts';
import type { ProvenanceCandidate, ProvenanceRecord } from './provenance.ts';
import { displayValue, renderValue } from './provenance.ts';
import { readPath } from './safe-object.ts';

/** One feeder's sanitized output, ready to resolve. Sources are passed weakest first. */
export interface LoadedSource {
  readonly kind: string;
  readonly source: string;
  readonly priority: number;
  readonly layer: string;
  readonly values: unknown;
  readonly keys: ReadonlyMap<string, string>;
}

/** The resolved value with its provenance, or the issues that block it. */
export interface Resolution {
  /** Checked leaf values before secrets are wrapped: what reload diffs and patches. */
  readonly raw: unknown;
  readonly value: unknown;
  readonly records: ReadonlyMap<string, ProvenanceRecord>;
  readonly issues: readonly ConfigIssue[];
}

interface Found {
  readonly source: LoadedSource;
  readonly raw: unknown;
  readonly key: string;
}

/** A leaf's sources: those that supply it, weakest first, and the blank variables read as unset. */
interface Candidates {
  readonly found: Found[];
  readonly blank: Found[];
}

interface NodeResult {
  readonly value: unknown;
  readonly supplied: boolean;
  readonly issues: ConfigIssue[];
}

const ROOT = '(root)';

function describeSource(kind: string, source: string, key: string): string {
  if (kind === 'env') return `env ${key}`;
  if (kind === 'dotenv') return `dotenv ${key} in ${source}`;
  return `${kind} ${source} at ${key}`;
}

function issueFrom(
  failure: Failure | { subPath: readonly string[]; kind: ConfigIssue['kind']; expected: string; got: unknown; message?: string },
  leafPath: readonly string[],
  redacted: boolean,
  from: { source: string; layer: string },
  notes: readonly string[] = [],
): ConfigIssue {
  const path = [...leafPath, ...failure.subPath].join('.') || ROOT;
  const got = renderValue(failure.got, redacted);
  // A constraint or cross-field failure carries the rule's message as `expected`.
  const detail =
    failure.kind === 'required' ? `is required (${failure.expected}) but no source supplied it` : failure.kind === 'type' ? `expected ${failure.expected}, got ${got}` : failure.expected;
  const origin = [from.source, ...notes].join('; ');
  return { path, kind: failure.kind, expected: failure.expected, got, source: from.source, layer: from.layer, message: `${path}: ${detail} (from ${origin})` };
}

/** checkValue, naming the source when array text from it holds a `__proto__` key (checkValue knows no source). */
function checkSupplied(leaf: LeafNode, raw: unknown, source: string): CheckResult {
  try {
    return checkValue(leaf.spec, raw);
  } catch (error) {
    // Only sanitize() throws in checkValue (a rule's own throw becomes a failure): anything else is a bug, passed on.
    /* v8 ignore next 2 -- no input makes checkValue throw anything but a ConfigError */
    // Stryker disable next-line ConditionalExpression: as above, no input reaches the other branch
    if (!isConfigError(error)) throw error;
    throw new ConfigError(error.code, { message: `${source}: ${error.message}`, cause: error, details: { source, path: leaf.key } });
  }
}

function isRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Resolver {
  readonly records = new Map<string, ProvenanceRecord>();
  readonly blocked = new Map<string, ConfigIssue>();
  readonly plan: Plan;
  readonly sources: readonly LoadedSource[];
  /** The innermost optional section being resolved that a source writes, and that source: named when a field in it is missing. */
  section: { readonly key: string; readonly from: string } | undefined;

  constructor(plan: Plan, sources: readonly LoadedSource[]) {
    this.plan = plan;
    this.sources = sources;
  }

  candidates(leaf: LeafNode): Candidates {
    const found: Found[] = [];
    const blank: Found[] = [];
    for (const source of this.sources) {
      const hit = readPath(source.values, leaf.path);
      if (hit.found) {
        const candidate = { source, raw: hit.value, key: source.keys.get(leaf.key) ?? leaf.key };
        // `PORT=` unsets the field (see empty-text.ts): the next source, or the default, applies.
        if (isTextSource(source.kind) && isBlankUnset(leaf.spec, hit.value)) blank.push(candidate);
        else found.push(candidate);
      } else if (hit.blockedAt !== undefined) this.block(leaf, source, hit.blockedAt, hit.value);
    }
    return { found, blank };
  }

  /**
   * The strongest source that writes an optional section as an object (`tls: {}` included),
   * described for messages; undefined when none does. Env text is skipped: it has no way to
   * write a section, only the variables of its fields, which count when they supply a value.
   */
  mention(node: ObjectNode): string | undefined {
    for (const source of [...this.sources].reverse()) {
      if (isTextSource(source.kind) || !isRecord(readPath(source.values, node.path).value)) continue;
      return describeSource(source.kind, source.source, source.keys.get(node.key) ?? node.key);
    }
    return undefined;
  }

  // A scalar where an object was expected (`db: 5`): reported once, at the object path.
  block(leaf: LeafNode, source: LoadedSource, at: number, value: unknown): void {
    const path = leaf.path.slice(0, at);
    const key = path.join('.');
    if (this.blocked.has(key)) return;
    const from = { source: describeSource(source.kind, source.source, source.keys.get(key) ?? key), layer: source.layer };
    // The value stands in for the whole object (`db: "postgres://u:pw@h"`): hide it when any field under the object is secret.
    const node = key === '' ? this.plan.root : (this.plan.nodes.get(key) as PlanNode);
    this.blocked.set(key, issueFrom({ subPath: [], kind: 'type', expected: 'object', got: value }, path, node.redacted, from));
  }

  /** `winner` is the source that supplied the value, or why none did: a schema `default`, or `unset`. */
  record(leaf: LeafNode, value: unknown, found: readonly Found[], winner: Found | 'default' | 'unset'): void {
    const overridden: ProvenanceCandidate[] = found
      .filter((f) => f !== winner)
      .reverse()
      .map((f) => ({ feeder: f.source.kind, source: f.source.source, key: f.key, layer: f.source.layer, priority: f.source.priority, value: displayValue(f.raw, leaf.redacted) }));
    const base = { path: leaf.key, secret: leaf.redacted, dynamic: leaf.dynamic, description: leaf.spec.description, overridden };
    const origin =
      typeof winner === 'string'
        ? { feeder: winner, source: winner === 'default' ? 'schema' : 'none', key: leaf.key, layer: winner === 'default' ? 'default' : 'none', priority: 0 }
        : { feeder: winner.source.kind, source: winner.source.source, key: winner.key, layer: winner.source.layer, priority: winner.source.priority };
    this.records.set(leaf.key, Object.freeze({ ...base, ...origin, value: value === undefined ? undefined : displayValue(value, leaf.redacted) }));
  }

  leaf(leaf: LeafNode): NodeResult {
    const { found, blank } = this.candidates(leaf);
    const winner = found[found.length - 1];
    if (winner !== undefined) {
      const from = { source: describeSource(winner.source.kind, winner.source.source, winner.key), layer: winner.source.layer };
      const result = checkSupplied(leaf, winner.raw, from.source);
      const value = result.ok ? result.value : undefined;
      this.record(leaf, value, found, winner);
      return { value, supplied: true, issues: result.ok ? [] : result.failures.map((f) => issueFrom(f, leaf.path, leaf.redacted, from)) };
    }
    if (leaf.hasDefault || leaf.spec.optional) {
      this.record(leaf, leaf.defaultValue, found, leaf.hasDefault ? 'default' : 'unset');
      return { value: leaf.hasDefault ? leaf.defaultValue : undefined, supplied: false, issues: [] };
    }
    this.record(leaf, undefined, found, 'unset');
    const failure = { subPath: [], kind: 'required' as const, expected: expectedOf(leaf.spec), got: undefined };
    // Why the field was looked for at all, and why a variable that exists did not count: the surprises an operator meets.
    const notes = blank.map((b) => `${describeSource(b.source.kind, b.source.source, b.key)} is empty, read as unset`);
    if (this.section !== undefined) notes.push(`section ${this.section.key} is set by ${this.section.from}`);
    return { value: undefined, supplied: false, issues: [issueFrom(failure, leaf.path, false, { source: 'no source', layer: 'none' }, notes)] };
  }

  object(node: ObjectNode): NodeResult {
    const optional = mayBeAbsent(node);
    // A section a source writes without fields (`tls: {}`) is present: its fields take their defaults
    // and its required fields are missing, as `{}` in an array item or in a default always meant.
    const mention = optional ? this.mention(node) : undefined;
    const outer = this.section;
    if (mention !== undefined) this.section = { key: node.key, from: mention };
    const value: Record<string, unknown> = {};
    const issues: ConfigIssue[] = [];
    let supplied = mention !== undefined;
    for (const child of node.children) {
      const result = this.node(child);
      value[child.path[child.path.length - 1] as string] = result.value;
      supplied ||= result.supplied;
      issues.push(...result.issues);
    }
    this.section = outer;
    // An optional object that no source mentions is absent: its required children do not apply.
    // One with a default is not: its fields resolved to that default above. The root is never optional.
    if (optional && !supplied) {
      this.unsetBelow(node);
      return { value: undefined, supplied, issues: [] };
    }
    return { value, supplied, issues };
  }

  // Provenance must describe the config as it is: a default recorded under an absent object is
  // not in the value, so every field below reads as unset, like an optional field nobody set.
  // No source supplied anything here, so there is no overridden candidate to keep.
  unsetBelow(node: ObjectNode): void {
    for (const child of node.children) {
      if (child.type === 'leaf') this.record(child, undefined, [], 'unset');
      else this.unsetBelow(child);
    }
  }

  node(node: PlanNode): NodeResult {
    return node.type === 'leaf' ? this.leaf(node) : this.object(node);
  }
}

const RULE_SOURCE = { source: 'schema rule', layer: 'none' };

// Bottom-up: an object's rules see children that already passed theirs.
function objectRules(node: ObjectNode, raw: unknown): ConfigIssue[] {
  // Checked values hold an object here, or nothing for an absent optional object.
  if (raw === undefined) return [];
  const value = raw as Record<string, unknown>;
  const issues: ConfigIssue[] = [];
  for (const child of node.children) {
    if (child.type === 'object') issues.push(...objectRules(child, value[child.path[child.path.length - 1] as string]));
  }
  if (issues.length > 0) return issues;
  const children = finalizeChildren(node.spec, value);
  issues.push(...applyRules(node.spec, children).map((f) => issueFrom(f, node.path, node.redacted, RULE_SOURCE)));
  for (const cross of runCrossRules(node.spec, children)) {
    const failure = { subPath: cross.subPath, kind: 'cross-field' as const, expected: cross.message, got: undefined, message: cross.message };
    issues.push(issueFrom(failure, node.path, node.redacted, RULE_SOURCE));
  }
  return issues;
}

/**
 * Runs object-level and cross-field rules on a raw value tree whose leaves are
 * valid, then finalizes it (secrets wrapped, frozen). Used by load and by reload patches.
 * @example finish(plan, { port: 1 }) // { value: { port: 1 }, issues: [] }
 */
export function finish(plan: Plan, raw: unknown): { readonly value: unknown; readonly issues: readonly ConfigIssue[] } {
  const issues = objectRules(plan.root, raw);
  // The value is only used when there are no issues; finalizing it anyway costs one pass on a failing path.
  return { value: finalize({ ...plan.root.spec, secret: false }, raw), issues };
}

/**
 * Resolves every field of a plan from sources ordered weakest first: the last
 * source defining a field wins, defaults fill the gaps, and every problem is collected.
 * @example resolve(plan, [yamlSource, envSource]).issues // [] when valid
 */
export function resolve(plan: Plan, sources: readonly LoadedSource[]): Resolution {
  const resolver = new Resolver(plan, sources);
  const result = resolver.object(plan.root);
  const issues = [...resolver.blocked.values(), ...result.issues];
  if (issues.length > 0) return { raw: result.value, value: undefined, records: resolver.records, issues };
  return { raw: result.value, records: resolver.records, ...finish(plan, result.value) };
}
