/**
 * Every runtime export of a public package (a class, function, const or enum
 * in its API report, `contracts/api/<package>.api.md`) is imported by at least
 * one contract test of that package (`contracts/<package>/`): "every public
 * API gets L1/L2 contract tests", checked instead of hoped for. Types are left
 * out: they have no behaviour to pin, and the `api` gate guards their shape.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { normalizeReport, reportPackage } from '../api/reports.ts';
import { reportCode } from '../changeset/api-diff.ts';
import type { Violation } from './compare.ts';
import type { ContractFile } from './extract.ts';

const API_DIR = 'contracts/api';
const REPORT_SUFFIX = '.api.md';

/**
 * The declarations of a report: its ```ts block, or every line but Markdown
 * headings in a report without one. Read through normalizeReport, as API
 * Extractor compares reports ignoring whitespace: a CRLF checkout or a
 * re-indented report passes the api gate, so it must not read as no exports.
 */
function declarations(report: string): string {
  const text = normalizeReport(report);
  return /^```ts$/m.test(text) ? reportCode(text) : text.replace(/^#.*$/gm, '');
}

function isExported(statement: ts.Statement): boolean {
  return ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
}

/** The runtime names a top-level statement exports: a class, function, enum, namespace or variable. */
function exportedValues(statement: ts.Statement): string[] {
  if (!isExported(statement)) return [];
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((declaration) => (ts.isIdentifier(declaration.name) ? [declaration.name.text] : []));
  }
  const named = ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement);
  return named && statement.name && ts.isIdentifier(statement.name) ? [statement.name.text] : [];
}

/**
 * The package an API Extractor report describes and its runtime exports, sorted
 * (overloads and declaration merging name a symbol once). Only top-level
 * statements count: what a namespace exports is read through the namespace.
 * @example
 * runtimeExports('## API Report File for "@rampart/x"\n\nexport function a(): void;\nexport interface B {}\n');
 * // { packageName: '@rampart/x', names: ['a'] }
 */
export function runtimeExports(report: string): { packageName: string | undefined; names: string[] } {
  const file = ts.createSourceFile('report.d.ts', declarations(report), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const names = new Set(file.statements.flatMap((statement) => exportedValues(statement)));
  return { packageName: reportPackage(report), names: [...names].sort() };
}

/**
 * The names a file imports as values from `specifier`: named imports that are
 * not type-only (`import { a, type B }` gives `a`; an alias counts under its
 * exported name), and the members read through a namespace import (`ns.a`).
 * @example
 * importedValues(extractContractFile(file, "import { a, type B } from '@rampart/x';").syntax, '@rampart/x'); // Set { 'a' }
 */
export function importedValues(file: ts.SourceFile, specifier: string): Set<string> {
  const names = new Set<string>();
  const namespaces = new Set<string>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== specifier) continue;
    const clause = statement.importClause;
    if (clause === undefined || clause.isTypeOnly || clause.namedBindings === undefined) continue;
    if (ts.isNamespaceImport(clause.namedBindings)) {
      namespaces.add(clause.namedBindings.name.text);
      continue;
    }
    for (const element of clause.namedBindings.elements) {
      if (!element.isTypeOnly) names.add((element.propertyName ?? element.name).text);
    }
  }
  if (namespaces.size > 0) {
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && namespaces.has(node.expression.text)) names.add(node.name.text);
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return names;
}

/**
 * One violation per package with runtime exports that no contract test of
 * that package imports, naming them. `files` are the scanned contract files
 * (the gate's own scan: nothing is read or parsed twice).
 * @example
 * uncoveredExports(root, scanContracts(root)); // [] when every export has a contract test
 */
export function uncoveredExports(root: string, files: readonly ContractFile[]): Violation[] {
  const dir = join(root, API_DIR);
  if (!existsSync(dir)) return [];
  const violations: Violation[] = [];
  for (const report of readdirSync(dir).filter((name) => name.endsWith(REPORT_SUFFIX)).sort()) {
    const short = report.slice(0, -REPORT_SUFFIX.length);
    const { packageName, names } = runtimeExports(readFileSync(join(dir, report), 'utf8'));
    const specifier = packageName ?? `@rampart/${short}`;
    const covered = new Set<string>();
    for (const contract of files.filter((f) => f.package === short)) {
      for (const name of importedValues(contract.syntax, specifier)) covered.add(name);
    }
    const missing = names.filter((name) => !covered.has(name));
    if (missing.length === 0) continue;
    violations.push({
      kind: 'uncovered',
      message: `no contract test: ${specifier} exports ${missing.join(', ')} (${API_DIR}/${report}), which no file in contracts/${short}/ imports from ${specifier}; every public API gets L1/L2 contract tests`,
    });
  }
  return violations;
}
