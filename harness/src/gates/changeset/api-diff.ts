/**
 * Which existing signatures an API report change removes or alters. Reports are
 * API Extractor's `.api.md`: a ```ts block of declarations. Each export, each
 * member of a class or interface and each enum member is one symbol, made of
 * its declarations (a function's overloads, a method's overloads). A symbol
 * breaks when one of its declarations is removed or changed; adding exports,
 * overloads or members breaks nobody.
 */
import ts from 'typescript';
import { normalizeReport } from '../api/reports.ts';
import { canonicalSyntax, kindName } from '../contracts/syntax-hash.ts';

/**
 * The declarations block of an API report (empty when the report has none),
 * read as API Extractor compares reports: whitespace around lines aside.
 */
export function reportCode(report: string): string {
  const match = /```ts\n([\s\S]*?)\n```/.exec(normalizeReport(report));
  return match?.[1] ?? '';
}

function add(symbols: Map<string, string[]>, key: string, node: ts.Node): void {
  symbols.set(key, [...(symbols.get(key) ?? []), canonicalSyntax(node)]);
}

function memberName(member: ts.ClassElement | ts.TypeElement | ts.EnumMember): string {
  return member.name ? member.name.getText() : kindName(member.kind);
}

/**
 * Class, interface and enum headers (kind, modifiers such as `const`, type
 * parameters, heritage) without their members, which are symbols of their own
 * so that adding one is not a change of the others.
 */
function addContainer(symbols: Map<string, string[]>, name: string, node: ts.ClassDeclaration | ts.InterfaceDeclaration | ts.EnumDeclaration): void {
  const parts: readonly ts.Node[] = ts.isEnumDeclaration(node) ? (node.modifiers ?? []) : [...(node.typeParameters ?? []), ...(node.heritageClauses ?? [])];
  symbols.set(name, [`${kindName(node.kind)} ${parts.map((part) => canonicalSyntax(part)).join(' ')}`]);
  for (const member of node.members) add(symbols, `${name}.${memberName(member)}`, member);
}

/** `{ ... }` or `Readonly<{ ... }>`: an object type whose properties are symbols of their own. */
function objectType(type: ts.TypeNode | undefined): { wrapper: string; literal: ts.TypeLiteralNode } | undefined {
  if (type === undefined) return undefined;
  if (ts.isTypeLiteralNode(type)) return { wrapper: '', literal: type };
  const [argument] = ts.isTypeReferenceNode(type) ? (type.typeArguments ?? []) : [];
  if (ts.isTypeReferenceNode(type) && type.typeName.getText() === 'Readonly' && type.typeArguments?.length === 1 && argument !== undefined && ts.isTypeLiteralNode(argument)) {
    return { wrapper: 'Readonly', literal: argument };
  }
  return undefined;
}

/**
 * A constant typed as an object (a registry such as `CORE_ERRORS: Readonly<{
 * ... }>`) is split like an enum: adding an entry is an addition, removing or
 * changing one breaks `NAME.entry`, and changing the wrapper breaks `NAME`.
 */
function addVariable(symbols: Map<string, string[]>, declaration: ts.VariableDeclaration): void {
  const name = declaration.name.getText();
  const object = objectType(declaration.type);
  if (object === undefined) return add(symbols, name, declaration);
  symbols.set(name, [`${kindName(declaration.kind)} ${object.wrapper}`]);
  for (const member of object.literal.members) add(symbols, `${name}.${memberName(member)}`, member);
}

/**
 * Every symbol of a report, keyed `name` or `Container.member`, with the
 * canonical syntax of each of its declarations.
 * @example
 * symbolsOf(report).get('Vault.encrypt'); // [canonical syntax of each overload of that member]
 */
export function symbolsOf(report: string): Map<string, string[]> {
  const file = ts.createSourceFile('report.d.ts', reportCode(report), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const symbols = new Map<string, string[]>();
  for (const statement of file.statements) {
    if (ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isEnumDeclaration(statement)) {
      if (statement.name) addContainer(symbols, statement.name.text, statement);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) addVariable(symbols, declaration);
    } else if (ts.isFunctionDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isModuleDeclaration(statement)) {
      if (statement.name) add(symbols, statement.name.getText(), statement);
    }
  }
  return symbols;
}

/**
 * Symbols of `before` that `after` removes or changes, sorted: those with a
 * declaration `after` no longer has. A new overload leaves every old one in
 * place, so it is an addition.
 */
export function brokenSymbols(before: string, after: string): string[] {
  const now = symbolsOf(after);
  return [...symbolsOf(before)]
    .filter(([key, declarations]) => declarations.some((declaration) => !(now.get(key) ?? []).includes(declaration)))
    .map(([key]) => key)
    .sort();
}
