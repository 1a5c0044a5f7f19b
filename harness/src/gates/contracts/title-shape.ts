/**
 * The names vitest reports for a test or a suite, as far as the source fixes
 * them. A lock id keeps the name as written (`starts at %i`, the source of a
 * template literal), while vitest reports the name it ran (`starts at 5`,
 * `token-bucket: admits ...`): the shape bridges the two, so the gate can find
 * a locked test in a vitest report.
 */
import ts from 'typescript';
import type { VitestCall } from './vitest-calls.ts';

/**
 * The literal pieces of a name, with any text allowed between two pieces:
 * `['starts at zero']` is exactly that name, `['', ': admits']` is any name
 * ending in `: admits`.
 */
export type TitleShape = readonly string[];

// vitest's formatTitle for `.each` / `.for` names: printf tokens (%s %d %i %f
// %j %o %O %c %%), the row index (%# %$) and `$field.path` of object rows.
const FORMAT_TOKEN = /%[sdifjoOc#$%]|\$[$\p{ID_Continue}.]+/u;

/**
 * The shape of the name a test or suite call gives vitest.
 * @example
 * titleShape(call, chain); // ['starts at ', ' then increments to ', ''] for it.each(...)('starts at %i then increments to %i')
 */
export function titleShape(call: ts.CallExpression, chain: VitestCall): TitleShape {
  const formatted = chain.modifiers.includes('each') || chain.modifiers.includes('for');
  const first = call.arguments[0];
  let pieces: string[];
  if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) pieces = [first.text];
  else if (first && ts.isTemplateExpression(first)) pieces = [first.head.text, ...first.templateSpans.map((span) => span.literal.text)];
  // A name computed at run time (a variable, a function, a class): any name.
  else pieces = ['', ''];
  return formatted ? pieces.flatMap((piece) => piece.split(new RegExp(FORMAT_TOKEN, 'gu'))) : pieces;
}

/**
 * Whether a reported name fits the shape.
 * @example
 * fitsTitle(['starts at ', ''], 'starts at 5'); // true
 */
export function fitsTitle(shape: TitleShape, name: string): boolean {
  const pattern = shape.map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*');
  return new RegExp(`^${pattern}$`, 'u').test(name);
}
