/**
 * Hashes a TypeScript syntax tree, not its text: formatting, comments, quote
 * style and trailing commas leave the hash alone, while any change to code, a
 * literal, an operator, a called function or a type changes it.
 */
import { createHash } from 'node:crypto';
import ts from 'typescript';

// SyntaxKind numbers shift between TypeScript releases; their names do not, so
// the lock survives a compiler upgrade. Marker aliases (FirstToken, LastKeyword)
// share numbers with real kinds and are skipped to keep the first, real name.
const KIND_NAMES = new Map<number, string>();
for (const [name, value] of Object.entries(ts.SyntaxKind)) {
  if (typeof value === 'number' && !/^(First|Last)/.test(name) && !KIND_NAMES.has(value)) {
    KIND_NAMES.set(value, name);
  }
}

/** The stable name of a syntax kind, e.g. `ForOfStatement`. */
export function kindName(kind: ts.SyntaxKind): string {
  /* v8 ignore next: every kind has a real name; the skipped First/Last markers only alias real kinds */
  return KIND_NAMES.get(kind) ?? String(kind);
}

const DECLARATION_FLAGS = ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing;

/** The parts of a node that `forEachChild` does not visit but that change its meaning. */
function ownText(node: ts.Node): string {
  if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) return node.text;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return JSON.stringify(node.text);
  if (ts.isNumericLiteral(node) || ts.isBigIntLiteral(node) || ts.isRegularExpressionLiteral(node)) return node.text;
  if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) return JSON.stringify(node.text);
  if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) return kindName(node.operator);
  if (ts.isTypeOperatorNode(node)) return kindName(node.operator);
  if (ts.isMetaProperty(node)) return kindName(node.keywordToken);
  if (ts.isVariableDeclarationList(node)) return String(node.flags & DECLARATION_FLAGS);
  return '';
}

/**
 * The canonical token stream of a node: `(Kind text child child ...)`.
 * Two nodes print the same stream exactly when they are the same code.
 */
export function canonicalSyntax(node: ts.Node): string {
  const parts: string[] = [];
  const visit = (current: ts.Node): void => {
    parts.push(`(${kindName(current.kind)}`);
    const text = ownText(current);
    if (text !== '') parts.push(` ${text}`);
    ts.forEachChild(current, (child) => {
      parts.push(' ');
      visit(child);
    });
    parts.push(')');
  };
  visit(node);
  return parts.join('');
}

/** A short, stable digest of several nodes' canonical syntax (128 bits, hex). */
export function hashSyntax(nodes: readonly ts.Node[]): string {
  const digest = createHash('sha256');
  for (const node of nodes) digest.update(canonicalSyntax(node)).update('\n');
  return digest.digest('hex').slice(0, 32);
}

/** The same digest for a plain string (used for import bindings). */
export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
