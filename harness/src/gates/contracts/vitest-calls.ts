/**
 * Recognises vitest's calls in a syntax tree: tests (`it`, `test` and their
 * aliases), suites (`describe`, `suite`) and hooks, through every chain vitest
 * accepts (`it.concurrent.skip`, `it.skipIf(cond)`, `test.extend({...})`,
 * `import { it as check } from 'vitest'`), and the ways a test can be switched off.
 */
import ts from 'typescript';

export type VitestRole = 'test' | 'suite' | 'hook';

export interface VitestCall {
  role: VitestRole;
  /** Canonical base function: `it`, `test`, `describe`, `beforeEach`, ... */
  base: string;
  /** Chained modifiers in source order: `['concurrent', 'skip']`. */
  modifiers: string[];
}

const ROLES: Record<string, VitestRole> = {
  it: 'test',
  test: 'test',
  describe: 'suite',
  suite: 'suite',
  beforeEach: 'hook',
  afterEach: 'hook',
  beforeAll: 'hook',
  afterAll: 'hook',
  aroundEach: 'hook',
  aroundAll: 'hook',
};

/** Modifiers that stop a test from running or from failing when it should. */
export const DISABLING_MODIFIERS: ReadonlySet<string> = new Set(['skip', 'todo', 'only', 'fails', 'skipIf', 'runIf']);

/** Options-object keys with the same effect: `it('x', { skip: true }, fn)`. */
const DISABLING_OPTIONS: ReadonlySet<string> = new Set(['skip', 'todo', 'only', 'fails']);

/** Local names bound to vitest functions in one file (imports and aliases). */
export class VitestNames {
  readonly #names = new Map<string, VitestCall>();

  constructor() {
    for (const [name, role] of Object.entries(ROLES)) this.#names.set(name, { role, base: name, modifiers: [] });
  }

  /** Local names of `import * as vt from 'vitest'`: `vt.it(...)` is a test like `it(...)`. */
  readonly #namespaces = new Set<string>();

  /** Learns `import { it as check } from 'vitest'` and `import * as vt from 'vitest'`. */
  learnImport(declaration: ts.ImportDeclaration): void {
    const from = declaration.moduleSpecifier;
    const bindings = declaration.importClause?.namedBindings;
    if (!ts.isStringLiteral(from) || from.text !== 'vitest' || !bindings) return;
    if (ts.isNamespaceImport(bindings)) {
      this.#namespaces.add(bindings.name.text);
      return;
    }
    for (const element of bindings.elements) {
      const imported = (element.propertyName ?? element.name).getText();
      const role = ROLES[imported];
      if (role) this.#names.set(element.name.text, { role, base: imported, modifiers: [] });
    }
  }

  /** Learns `const myTest = test.extend({...})` or `const skipped = it.skip`. */
  learnAlias(declaration: ts.VariableDeclaration): void {
    if (!ts.isIdentifier(declaration.name) || !declaration.initializer) return;
    const chain = this.chainOf(declaration.initializer);
    if (chain) this.#names.set(declaration.name.text, chain);
  }

  /** The vitest function a call invokes, or undefined for any other call. */
  classify(call: ts.CallExpression): VitestCall | undefined {
    return this.chainOf(call.expression);
  }

  chainOf(expression: ts.Expression): VitestCall | undefined {
    if (ts.isIdentifier(expression)) {
      const known = this.#names.get(expression.text);
      return known && { ...known, modifiers: [...known.modifiers] };
    }
    if (ts.isPropertyAccessExpression(expression)) {
      if (ts.isIdentifier(expression.expression) && this.#namespaces.has(expression.expression.text)) {
        const role = Object.hasOwn(ROLES, expression.name.text) ? ROLES[expression.name.text] : undefined;
        return role && { role, base: expression.name.text, modifiers: [] };
      }
      const inner = this.chainOf(expression.expression);
      return inner && { ...inner, modifiers: [...inner.modifiers, expression.name.text] };
    }
    // `it.skipIf(cond)(...)`, `it.each(table)(...)`, `test.extend({...})(...)`
    if (ts.isCallExpression(expression)) return this.chainOf(expression.expression);
    return undefined;
  }
}

/** Why a test or suite call is switched off by its own chain or options. */
export function disablingMarks(call: ts.CallExpression, chain: VitestCall): string[] {
  const marks = chain.modifiers.filter((m) => DISABLING_MODIFIERS.has(m)).map((m) => `${chain.base}.${m}`);
  for (const argument of call.arguments) {
    if (!ts.isObjectLiteralExpression(argument)) continue;
    for (const property of argument.properties) {
      const named = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name));
      const key = named ? property.name.text : undefined;
      if (key && DISABLING_OPTIONS.has(key)) marks.push(`{ ${key} } option`);
    }
  }
  return marks;
}

/** Calls that skip at run time: `ctx.skip()`, `context.skip(cond)`, a destructured `skip()`. */
export function runtimeSkips(node: ts.Node): string[] {
  const found: string[] = [];
  const visit = (current: ts.Node): void => {
    if (ts.isCallExpression(current)) {
      const callee = current.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (name === 'skip') {
        const line = current.getSourceFile().getLineAndCharacterOfPosition(current.getStart()).line + 1;
        found.push(`${callee.getText()}() at line ${line}`);
      }
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** The function argument a test, suite or hook runs (the last function literal). */
export function callbackOf(call: ts.CallExpression): ts.FunctionLikeDeclaration | undefined {
  for (let i = call.arguments.length - 1; i >= 0; i -= 1) {
    const argument = call.arguments[i];
    if (argument && (ts.isArrowFunction(argument) || ts.isFunctionExpression(argument))) return argument;
  }
  return undefined;
}

/** The display name of a test or suite: its string, or the source of a non-literal name. */
export function nameOf(call: ts.CallExpression): string {
  const first = call.arguments[0];
  if (!first) return '(unnamed)';
  if (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) return first.text;
  return first.getText();
}
