/**
 * The lexical scopes of a contract file (the file itself and every `describe`
 * callback): what each declares, which hooks and setup statements it runs, and
 * how a test's references resolve to the helpers it depends on, transitively.
 */
import ts from 'typescript';
import { canonicalSyntax, hashSyntax, hashText } from './syntax-hash.ts';

export interface Helper {
  key: string;
  hash: string;
  refs: ReadonlySet<string>;
  scope: Scope;
}

export interface ScopeStatement {
  key: string;
  hash: string;
  refs: ReadonlySet<string>;
  /** Run-time skips found inside (only hooks can carry them). */
  skips: string[];
}

export class Scope {
  readonly label: string;
  readonly path: readonly string[];
  readonly parent: Scope | undefined;
  /** Disabling marks of this suite and every enclosing suite. */
  readonly marks: readonly string[];
  readonly helpers = new Map<string, Helper>();
  readonly hooks: ScopeStatement[] = [];
  readonly setup: ScopeStatement[] = [];
  /** Per kind and name, how many hooks or setup statements came before (their `#n`). */
  readonly #counts = new Map<string, number>();

  constructor(path: readonly string[], parent: Scope | undefined, marks: readonly string[], label?: string) {
    this.path = path;
    this.parent = parent;
    this.marks = marks;
    this.label = label ?? (path.length === 0 ? '(file)' : path.join(' > '));
  }

  /** Scopes from this one outwards to the file. */
  chain(): Scope[] {
    return this.parent ? [this, ...this.parent.chain()] : [this];
  }

  resolve(name: string): Helper | undefined {
    for (const scope of this.chain()) {
      const helper = scope.helpers.get(name);
      if (helper) return helper;
    }
    return undefined;
  }

  declare(name: string, nodes: readonly ts.Node[], prefix = ''): void {
    const refs = new Set<string>();
    for (const node of nodes) for (const ref of referencedNames(node)) refs.add(ref);
    refs.delete(name);
    const hash = hashText(prefix + nodes.map((node) => canonicalSyntax(node)).join('\n'));
    this.helpers.set(name, { key: `helper ${this.label} ${name}`, hash, refs, scope: this });
  }

  declareImport(local: string, module: string, imported: string): void {
    const hash = hashText(`import ${imported} from ${JSON.stringify(module)}`);
    this.helpers.set(local, { key: `helper ${this.label} ${local}`, hash, refs: new Set(), scope: this });
  }

  statement(kind: 'hook' | 'setup', nodes: readonly ts.Node[], name: string, skips: string[] = []): void {
    const list = kind === 'hook' ? this.hooks : this.setup;
    const index = this.#counts.get(`${kind} ${name}`) ?? 0;
    this.#counts.set(`${kind} ${name}`, index + 1);
    const refs = new Set<string>();
    for (const node of nodes) for (const ref of referencedNames(node)) refs.add(ref);
    list.push({ key: `${kind} ${this.label} ${name}#${index}`, hash: hashSyntax(nodes), refs, skips });
  }
}

/** Identifiers used as references (not property names or declared names). */
export function referencedNames(node: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (current: ts.Node): void => {
    if (ts.isIdentifier(current) && isReference(current)) names.add(current.text);
    ts.forEachChild(current, visit);
  };
  visit(node);
  return names;
}

function isReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent)) return parent.name !== identifier;
  if (ts.isQualifiedName(parent)) return parent.right !== identifier;
  if (ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) return parent.name !== identifier;
  if (ts.isPropertySignature(parent) || ts.isMethodSignature(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent)) return parent.name !== identifier;
  if (ts.isBindingElement(parent)) return parent.propertyName !== identifier && parent.name !== identifier;
  if (ts.isParameter(parent) || ts.isVariableDeclaration(parent)) return parent.name !== identifier;
  return true;
}

/** All names a declaration binds, including destructured ones. */
export function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const names: string[] = [];
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) names.push(...boundNames(element.name));
  }
  return names;
}

/** Every helper a set of references needs, following helpers' own references. */
export function closure(start: Scope, refs: Iterable<string>): Helper[] {
  const found = new Map<string, Helper>();
  const pending: Array<[Scope, string]> = [...refs].map((ref) => [start, ref]);
  for (let next = pending.pop(); next; next = pending.pop()) {
    const helper = next[0].resolve(next[1]);
    if (!helper || found.has(helper.key)) continue;
    found.set(helper.key, helper);
    for (const ref of helper.refs) pending.push([helper.scope, ref]);
  }
  return [...found.values()];
}
