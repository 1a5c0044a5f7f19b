import type { FieldSpec } from './field.ts';
import { defaultOf } from './coerce.ts';

/** A schema field that takes its value from one source as a whole (scalars and arrays). */
export interface LeafNode {
  readonly type: 'leaf';
  readonly path: readonly string[];
  readonly key: string;
  readonly spec: FieldSpec;
  /** Secret itself, under a secret object, or holding a secret (array items, nested fields): its value is never shown. */
  readonly redacted: boolean;
  /** Dynamic itself or under a dynamic object. */
  readonly dynamic: boolean;
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
}

/** A nested object whose value is assembled from its children. */
export interface ObjectNode {
  readonly type: 'object';
  readonly path: readonly string[];
  readonly key: string;
  readonly spec: FieldSpec;
  /** Secret itself, under a secret object, or with a secret anywhere below it. */
  readonly redacted: boolean;
  /** Dynamic itself or under a dynamic object: every field below it is dynamic too. */
  readonly dynamic: boolean;
  /** A default covers the object: its own `.default()`, or an enclosing object's default that sets it. */
  readonly hasDefault: boolean;
  readonly children: readonly PlanNode[];
}

export type PlanNode = LeafNode | ObjectNode;

/** A schema compiled once: its root object, every leaf in order, and every node by dotted key. */
export interface Plan {
  readonly root: ObjectNode;
  readonly leaves: readonly LeafNode[];
  readonly nodes: ReadonlyMap<string, PlanNode>;
}

interface Inherited {
  readonly redacted: boolean;
  readonly dynamic: boolean;
  // The outermost object default wins over inner ones: it is the more specific declaration.
  readonly defaults: { readonly has: boolean; readonly value: unknown };
}

function childDefault(defaults: Inherited['defaults'], key: string): Inherited['defaults'] {
  if (!defaults.has) return { has: false, value: undefined };
  // An object's default passed checkValue, so it is a plain object; null in it means "not set", as in sources.
  const value = Object.hasOwn(defaults.value as object, key) ? (defaults.value as Record<string, unknown>)[key] : undefined;
  return { has: value !== undefined && value !== null, value };
}

/**
 * True when the field or anything it holds is secret. A value is shown whole (provenance,
 * errors, reload changes, samples), so one secret array item or nested field makes the
 * whole value unprintable.
 */
function holdsSecret(spec: FieldSpec): boolean {
  if (spec.secret) return true;
  if (spec.item !== undefined && holdsSecret(spec.item.spec)) return true;
  return Object.values(spec.shape ?? {}).some((field) => holdsSecret(field.spec));
}

function compileNode(spec: FieldSpec, path: string[], inherited: Inherited, leaves: LeafNode[], nodes: Map<string, PlanNode>): PlanNode {
  const key = path.join('.');
  const redacted = inherited.redacted || holdsSecret(spec);
  // Children inherit only a secret declared at or above them, not a secret sibling's.
  const inheritedSecret = inherited.redacted || spec.secret;
  const dynamic = inherited.dynamic || spec.dynamic;
  const defaults = inherited.defaults.has ? inherited.defaults : { has: spec.hasDefault, value: spec.hasDefault ? defaultOf(spec) : undefined };
  let node: PlanNode;
  // Stryker disable next-line ConditionalExpression: only object specs carry a shape (t.object is the one builder that sets it)
  if (spec.kind === 'object' && spec.shape !== undefined) {
    const children = Object.entries(spec.shape).map(([name, field]) =>
      compileNode(field.spec, [...path, name], { redacted: inheritedSecret, dynamic, defaults: childDefault(defaults, name) }, leaves, nodes),
    );
    node = { type: 'object', path, key, spec, redacted, dynamic, hasDefault: defaults.has, children };
  } else {
    node = { type: 'leaf', path, key, spec, redacted, dynamic, hasDefault: defaults.has, defaultValue: defaults.value };
    leaves.push(node);
  }
  nodes.set(key, node);
  return node;
}

/**
 * True for an object that is left out of the value when no source mentions it: an
 * optional one without a default. A declared default applies to an optional object
 * as it does to an optional field (`.default(v).optional()` keeps the default), so
 * resolve, reload and samples all see such a section as present.
 * @example mayBeAbsent(compile(schema.root.spec).nodes.get('tls') as ObjectNode) // true for t.object({...}).optional()
 */
export function mayBeAbsent(node: ObjectNode): boolean {
  return node.spec.optional && !node.hasDefault;
}

/**
 * Compiles a root object spec into a plan (done once per load, reused by reloads).
 * @example compile(schema.root.spec).leaves.map((l) => l.key) // ['db.host', 'db.port']
 */
export function compile(rootSpec: FieldSpec): Plan {
  const leaves: LeafNode[] = [];
  const nodes = new Map<string, PlanNode>();
  // Stryker disable next-line ObjectLiteral: `{}.has` is as falsy as `has: false`
  const root = compileNode(rootSpec, [], { redacted: false, dynamic: false, defaults: { has: false, value: undefined } }, leaves, nodes);
  nodes.delete('');
  return { root: root as ObjectNode, leaves, nodes };
}
