/**
 * Which existing signatures an API report change removes or alters. Reports are
 * API Extractor's `.api.md`: a ```ts block of declarations. Each function
 * (with all its overloads), type, variable, and each member of a class or
 * interface is one symbol; adding symbols breaks nobody, changing or removing
 * one does.
 */
import ts from 'typescript';
import { canonicalSyntax, kindName } from '../contracts/syntax-hash.ts';

/** The declarations block of an API report (empty when the report has none). */
export function reportCode(report: string): string {
  const match = /```ts\n([\s\S]*?)\n```/.exec(report);
  return match?.[1] ?? '';
}

function add(symbols: Map<string, string>, key: string, node: ts.Node): void {
  const text = canonicalSyntax(node);
  const before = symbols.get(key);
  symbols.set(key, before === undefined ? text : `${before}\n${text}`);
}

function memberName(member: ts.ClassElement | ts.TypeElement): string {
  return member.name ? member.name.getText() : kindName(member.kind);
}

/** Class and interface headers (name, type parameters, heritage) without their members. */
function addContainer(symbols: Map<string, string>, name: string, node: ts.ClassDeclaration | ts.InterfaceDeclaration): void {
  const header = [...(node.typeParameters ?? []), ...(node.heritageClauses ?? [])].map((part) => canonicalSyntax(part)).join(' ');
  symbols.set(name, `${kindName(node.kind)} ${header}`);
  for (const member of node.members) add(symbols, `${name}.${memberName(member)}`, member);
}

/**
 * Every symbol of a report, keyed `name` or `Container.member`.
 * @example
 * symbolsOf(report).get('Vault.encrypt'); // canonical syntax of that member
 */
export function symbolsOf(report: string): Map<string, string> {
  const file = ts.createSourceFile('report.d.ts', reportCode(report), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const symbols = new Map<string, string>();
  for (const statement of file.statements) {
    if (ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
      if (statement.name) addContainer(symbols, statement.name.text, statement);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) add(symbols, declaration.name.getText(), declaration);
    } else if (ts.isFunctionDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement)) {
      if (statement.name) add(symbols, statement.name.getText(), statement);
    }
  }
  return symbols;
}

/** Symbols of `before` that `after` removes or changes, sorted. */
export function brokenSymbols(before: string, after: string): string[] {
  const old = symbolsOf(before);
  const now = symbolsOf(after);
  return [...old].filter(([key, text]) => now.get(key) !== text).map(([key]) => key).sort();
}
