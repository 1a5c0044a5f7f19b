/**
 * Reads one contract file into its test cases: a stable id, the hash of the
 * test itself, and the hashes of everything around it that can change what it
 * proves (hooks, setup statements, helpers and imports it uses), plus the marks
 * that switch it off.
 */
import ts from 'typescript';
import { boundNames, closure, referencedNames, Scope } from './scope.ts';
import { hashSyntax, kindName } from './syntax-hash.ts';
import { titleShape } from './title-shape.ts';
import type { TitleShape } from './title-shape.ts';
import { callbackOf, disablingMarks, nameOf, runtimeSkips, VitestNames } from './vitest-calls.ts';
import type { VitestCall } from './vitest-calls.ts';

export type ContractLevel = 'l1' | 'l2';

export interface ContractTest {
  /** `contracts/<package>/<file> > describe > ... > test name`. */
  id: string;
  file: string;
  package: string;
  level: ContractLevel;
  line: number;
  /** Hash of the test call without its name (the name is part of the id). */
  hash: string;
  /** Hooks, setup statements and helpers the test depends on: key → hash. */
  context: Record<string, string>;
  /** Why the test would not run (or not fail): `it.skip`, `describe.only`, `ctx.skip() at line 9`. */
  disabled: string[];
  /** The names vitest reports for it, outermost describe first: how the gate finds it in a run. */
  titles: TitleShape[];
}

export interface ContractFile {
  file: string;
  package: string;
  level: ContractLevel | undefined;
  tests: ContractTest[];
  /** Rule violations of the file as a whole. */
  problems: string[];
  /** The parsed file, for checks that read more than its tests (which exports it imports). */
  syntax: ts.SourceFile;
  /**
   * Hash of the code that runs while the file is collected, wherever it sits:
   * hooks, setup statements, declarations that run code (`const m = (() =>
   * { expect.extend(...) })()`, a class's static block), describe tables and
   * options, loop headers. A test's own entry holds only what its describe
   * chain runs and what it uses, so this is locked per file: a locked file's
   * collection code never changes (new setup goes in a new file).
   */
  collection: string;
}

const FILE_NAME = /^(l1|l2)(\.[a-z0-9-]+)?\.contract\.test\.ts$/;

interface Pending {
  call: ts.CallExpression;
  chain: VitestCall;
}

/**
 * Extracts every test case of one contract file.
 * @param file path relative to the repository root, `contracts/<package>/<name>`.
 */
export function extractContractFile(file: string, source: string, options: { privatePackages?: ReadonlySet<string> } = {}): ContractFile {
  const parts = file.split('/');
  const base = parts.at(-1) ?? file;
  const level = FILE_NAME.exec(base)?.[1] as ContractLevel | undefined;
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const result: ContractFile = { file, package: parts[1] ?? '', level, tests: [], problems: [], syntax: sourceFile, collection: '' };
  if (!level) result.problems.push(`${file}: a contract file is named l1[.<topic>].contract.test.ts or l2[.<topic>].contract.test.ts`);
  const names = new VitestNames();
  const fileScope = new Scope([], undefined, []);
  const collected: ts.Node[] = [];
  walkScope(sourceFile.statements, fileScope, names, { ...result, collected }, []);
  result.collection = hashSyntax(collected);
  result.problems.push(...importProblems(sourceFile, file, options.privatePackages ?? new Set()), ...duplicateProblems(result.tests));
  return result;
}

/** The file being read, plus the collection-time code found so far (see ContractFile.collection). */
type Walk = ContractFile & { collected: ts.Node[] };

function walkScope(statements: readonly ts.Statement[], scope: Scope, names: VitestNames, out: Walk, titles: readonly TitleShape[]): void {
  for (const statement of statements) declareStatement(statement, scope, names);
  // Overloads and declaration merging: one helper made of every same-named declaration.
  const named = new Map<string, ts.Statement[]>();
  for (const statement of statements) {
    const name = namedDeclaration(statement);
    if (name) named.set(name, [...(named.get(name) ?? []), statement]);
  }
  for (const [name, nodes] of named) scope.declare(name, nodes);
  const tests: Pending[] = [];
  const suites: Pending[] = [];
  const loops: LoopStatement[] = [];
  for (const statement of statements) {
    const call = vitestStatement(statement, names);
    if (call?.chain.role === 'test') tests.push(call);
    else if (call?.chain.role === 'suite') suites.push(call);
    else if (call?.chain.role === 'hook') {
      scope.statement('hook', [call.call], call.chain.base, hookSkips(call));
      out.collected.push(call.call);
    } else if (isLoop(statement) && findVitestCall(statement, names)) loops.push(statement);
    else if (!isDeclaration(statement)) {
      recordSetup(statement, scope, names, out);
      out.collected.push(statement);
    } else {
      for (const node of runtimeParts(statement, names)) reportHidden(node, statement, names, out);
      if (runsAtLoad(statement)) out.collected.push(statement);
    }
  }
  for (const test of tests) out.tests.push(describeTest(test, scope, out, [...titles, titleShape(test.call, test.chain)]));
  loops.forEach((loop, index) => walkLoop(loop, index, scope, names, out, titles));
  for (const suite of suites) {
    // describe.each(table) / describe.for(table) and describe options ({ retry: 30 }) shape every test inside.
    out.collected.push(...suiteArguments(suite.call));
    const marks = [...scope.marks, ...disablingMarks(suite.call, suite.chain)];
    const child = new Scope([...scope.path, nameOf(suite.call)], scope, marks);
    const callback = callbackOf(suite.call);
    const body = callback?.body;
    // An expression body (`describe('s', () => it(...))`) still registers its tests with vitest.
    if (callback && body && !ts.isBlock(body)) reportHidden(body, callback, names, out);
    walkScope(body && ts.isBlock(body) ? body.statements : [], child, names, out, [...titles, titleShape(suite.call, suite.chain)]);
  }
}

type LoopStatement = ts.ForOfStatement | ts.ForInStatement | ts.ForStatement;

function isLoop(statement: ts.Statement): statement is LoopStatement {
  return ts.isForOfStatement(statement) || ts.isForInStatement(statement) || ts.isForStatement(statement);
}

/**
 * A table loop (`for (const algorithm of ALGORITHMS) it(...)`) is a scope of
 * its own: its tests keep the enclosing path, and they depend on the loop
 * header, so shrinking the table or its source breaks each of them.
 */
function walkLoop(loop: LoopStatement, index: number, scope: Scope, names: VitestNames, out: Walk, titles: readonly TitleShape[]): void {
  const child = new Scope(scope.path, scope, scope.marks, `${scope.label} [loop ${index + 1}]`);
  const header = [loop.initializer, ts.isForStatement(loop) ? loop.condition : loop.expression, ts.isForStatement(loop) ? loop.incrementor : undefined];
  child.statement('setup', header.filter((node) => node !== undefined), kindName(loop.kind));
  out.collected.push(...header.filter((node) => node !== undefined));
  walkScope(ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement], child, names, out, titles);
}

function declareStatement(statement: ts.Statement, scope: Scope, names: VitestNames): void {
  if (ts.isImportDeclaration(statement)) return declareImport(statement, scope, names);
  if (ts.isVariableStatement(statement)) {
    const kind = String(statement.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const));
    for (const declaration of statement.declarationList.declarations) {
      names.learnAlias(declaration);
      for (const name of boundNames(declaration.name)) scope.declare(name, [declaration], kind);
    }
  }
}

function namedDeclaration(node: ts.Node): string | undefined {
  const declares =
    ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) || ts.isEnumDeclaration(node);
  return declares && node.name ? node.name.text : undefined;
}

/** What a suite call runs besides its name and body: the chain with its table (`describe.each(rows)`) and any options. */
function suiteArguments(call: ts.CallExpression): ts.Node[] {
  const callback = callbackOf(call);
  const extra = call.arguments.slice(1).filter((argument) => argument !== callback);
  return ts.isCallExpression(call.expression) ? [call.expression, ...extra] : extra;
}

/**
 * A declaration that runs code when the file loads: a call, `new`, `await`,
 * an assignment or a tagged template in an initializer (outside function
 * bodies, which run only when called), a class's static block, static field
 * initializer or decorator. `const helper = () => ...` and `const rows = [...]`
 * run nothing; they are locked through the tests that use them.
 */
function runsAtLoad(statement: ts.Statement): boolean {
  if (ts.isClassDeclaration(statement)) return classRunsAtLoad(statement);
  if (!ts.isVariableStatement(statement)) return false;
  return statement.declarationList.declarations.some((declaration) => declaration.initializer !== undefined && executes(declaration.initializer));
}

function classRunsAtLoad(node: ts.ClassLikeDeclaration): boolean {
  const decorated = (member: ts.Node): boolean => ts.canHaveDecorators(member) && (ts.getDecorators(member)?.length ?? 0) > 0;
  const isStatic = (member: ts.ClassElement): boolean => ts.canHaveModifiers(member) && (ts.getModifiers(member)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) ?? false);
  if (decorated(node)) return true;
  return node.members.some((member) =>
    ts.isClassStaticBlockDeclaration(member) || decorated(member) ||
    (ts.isPropertyDeclaration(member) && isStatic(member) && member.initializer !== undefined && executes(member.initializer)));
}

function executes(node: ts.Node): boolean {
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node) || ts.isAccessor(node)) return false;
  if (ts.isClassExpression(node)) return classRunsAtLoad(node);
  if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isAwaitExpression(node) || ts.isTaggedTemplateExpression(node) || ts.isDeleteExpression(node)) return true;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return true;
  if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  return ts.forEachChild(node, executes) === true;
}

function isDeclaration(statement: ts.Statement): boolean {
  return (ts.isImportDeclaration(statement) && statement.importClause !== undefined) ||
    ts.isVariableStatement(statement) || namedDeclaration(statement) !== undefined;
}

function declareImport(statement: ts.ImportDeclaration, scope: Scope, names: VitestNames): void {
  names.learnImport(statement);
  const clause = statement.importClause;
  const module = ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : statement.moduleSpecifier.getText();
  if (!clause) return;
  if (clause.name) scope.declareImport(clause.name.text, module, 'default');
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) scope.declareImport(bindings.name.text, module, '*');
  if (bindings && ts.isNamedImports(bindings)) {
    for (const element of bindings.elements) {
      scope.declareImport(element.name.text, module, (element.propertyName ?? element.name).getText());
    }
  }
}

function vitestStatement(statement: ts.Statement, names: VitestNames): Pending | undefined {
  if (!ts.isExpressionStatement(statement)) return undefined;
  const expression = statement.expression;
  if (!ts.isCallExpression(expression)) return undefined;
  const chain = names.classify(expression);
  return chain && { call: expression, chain };
}

function hookSkips(hook: Pending): string[] {
  return runtimeSkips(hook.call).map((skip) => `${hook.chain.base} calls ${skip}`);
}

/** A statement that runs while the suite is collected; tests hidden inside it are an error. */
function recordSetup(statement: ts.Statement, scope: Scope, names: VitestNames, out: ContractFile): void {
  scope.statement('setup', [statement], describeKind(statement));
  reportHidden(statement, statement, names, out);
}

/**
 * A test or suite call anywhere in `node` is one the lock never sees. Also run
 * on declarations: a function (or a constant holding one) that registers tests
 * when called at suite level would otherwise add contract tests that are never
 * locked, so never protected.
 */
function reportHidden(node: ts.Node, container: ts.Node, names: VitestNames, out: ContractFile): void {
  const hidden = findVitestCall(node, names);
  if (hidden) {
    const line = lineOf(hidden);
    out.problems.push(
      `${out.file}:${line}: a test or suite nested in ${kindName(container.kind)} is invisible to the lock; declare it at suite level (use it.each / describe.each for tables)`,
    );
  }
}

/**
 * The parts of a declaration that can register tests; an alias such as
 * `const withDb = test.extend({...})` or `const later = it.skip` binds a vitest
 * function and registers nothing.
 */
function runtimeParts(statement: ts.Statement, names: VitestNames): ts.Node[] {
  if (!ts.isVariableStatement(statement)) return [statement];
  return statement.declarationList.declarations.filter((declaration) => !declaration.initializer || names.chainOf(declaration.initializer) === undefined);
}

function findVitestCall(node: ts.Node, names: VitestNames): ts.CallExpression | undefined {
  if (ts.isCallExpression(node)) {
    const role = names.classify(node)?.role;
    if (role === 'test' || role === 'suite') return node;
  }
  return ts.forEachChild(node, (child) => findVitestCall(child, names));
}

function describeKind(statement: ts.Statement): string {
  return kindName(statement.kind);
}

function describeTest(test: Pending, scope: Scope, out: ContractFile, titles: TitleShape[]): ContractTest {
  const name = nameOf(test.call);
  const context: Record<string, string> = {};
  const refs = new Set(referencesOf(test.call));
  const disabled = [...scope.marks, ...disablingMarks(test.call, test.chain)];
  const callback = callbackOf(test.call);
  if (callback) disabled.push(...runtimeSkips(callback));
  for (const each of scope.chain()) {
    for (const entry of [...each.hooks, ...each.setup]) {
      context[entry.key] = entry.hash;
      for (const ref of entry.refs) refs.add(ref);
      disabled.push(...entry.skips);
    }
  }
  for (const helper of closure(scope, refs)) context[helper.key] = helper.hash;
  return {
    id: [out.file, ...scope.path, name].join(' > '),
    file: out.file,
    package: out.package,
    level: out.level ?? 'l1',
    line: lineOf(test.call),
    hash: hashSyntax([test.call.expression, ...test.call.arguments.slice(1)]),
    context: sortKeys(context),
    disabled,
    titles,
  };
}

function referencesOf(call: ts.CallExpression): string[] {
  return [call.expression, ...call.arguments].flatMap((node) => [...referencedNames(node)]);
}

export function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function lineOf(node: ts.Node): number {
  return node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1;
}

/**
 * A file of this repository rather than a package: relative, absolute, a
 * file: URL or a package.json `#imports` alias all reach code outside the
 * contract file, where assertions could change without touching the lock.
 */
function isLocalPath(specifier: string): boolean {
  return specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#') || specifier.startsWith('file:');
}

function importProblems(sourceFile: ts.SourceFile, file: string, privatePackages: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const packages = packageBindings(sourceFile);
  const visit = (node: ts.Node): void => {
    if (isComputedImport(node, packages)) {
      problems.push(`${file}:${lineOf(node)}: a dynamic import() takes a string literal or a value from a package (import(pathToFileURL(floorReporterPath).href)); a path built in the file can reach code outside the lock`);
    }
    const specifier = moduleReference(node);
    if (specifier !== undefined && (isLocalPath(specifier) || /^@rampart\/[^/]+\/(?!package\.json$)/.test(specifier))) {
      problems.push(`${file}:${lineOf(node)}: contract tests import packages only through their public entry (@rampart/<name>), not '${specifier}'`);
    }
    // A private workspace (test fixtures, mocks kept in the repository) is code users never get, and it is not locked.
    if (specifier !== undefined && privatePackages.has(specifier.split('/').slice(0, 2).join('/'))) {
      problems.push(`${file}:${lineOf(node)}: contract tests import published packages only; '${specifier}' is a private workspace`);
    }
    if (isRampartMock(node)) problems.push(`${file}:${lineOf(node)}: contract tests run the real package; mocking a @rampart module is not allowed`);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return problems;
}

function moduleReference(node: ts.Node): string | undefined {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
    return node.moduleSpecifier.text;
  }
  const dynamic = ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword ? node.arguments[0] : undefined;
  return dynamic && ts.isStringLiteralLike(dynamic) ? dynamic.text : undefined;
}

function isRampartMock(node: ts.Node): boolean {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  const method = node.expression.name.text;
  // vi.mock('@rampart/x', ...) or its typed form vi.mock(import('@rampart/x'), ...)
  const target = node.arguments[0];
  const named = target !== undefined && ts.isCallExpression(target) && target.expression.kind === ts.SyntaxKind.ImportKeyword ? target.arguments[0] : target;
  return (method === 'mock' || method === 'doMock') && named !== undefined && ts.isStringLiteralLike(named) && named.text.startsWith('@rampart/');
}

/** Local names bound by imports from packages (not from files of this repository). */
function packageBindings(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || isLocalPath(statement.moduleSpecifier.text)) continue;
    const clause = statement.importClause;
    if (clause?.name) names.add(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
  }
  return names;
}

/**
 * `import(SUPPORT + 'roundtrip.ts')` or `import(path)` with a path the file
 * builds: the module is not known statically, so the rules above cannot see
 * it, and assertions kept there change without touching the lock. Allowed: a
 * string literal (checked like any import), or an expression made only of
 * values imported from packages (a path a package exports).
 */
function isComputedImport(node: ts.Node, packages: ReadonlySet<string>): boolean {
  if (!ts.isCallExpression(node) || node.expression.kind !== ts.SyntaxKind.ImportKeyword) return false;
  const argument = node.arguments[0];
  if (argument === undefined || ts.isStringLiteralLike(argument)) return false;
  let computed = false;
  const visit = (current: ts.Node): void => {
    if (ts.isStringLiteralLike(current) || ts.isTemplateExpression(current)) computed = true;
    else if (ts.isIdentifier(current) && !packages.has(current.text)) computed = true;
    // In `a.b`, only `a` is a value of the file; `b` is a property name.
    if (ts.isPropertyAccessExpression(current)) visit(current.expression);
    else ts.forEachChild(current, visit);
  };
  visit(argument);
  return computed;
}

function duplicateProblems(tests: readonly ContractTest[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const test of tests) {
    if (seen.has(test.id)) problems.push(`duplicate contract test id (give each test a unique name): ${test.id}`);
    seen.add(test.id);
  }
  return problems;
}
