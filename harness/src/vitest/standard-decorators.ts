/**
 * A Vite/Vitest plugin that lowers TC39 standard decorators with the TypeScript
 * compiler. Vitest's default transform (Oxc) strips types but leaves standard
 * decorators in place, and V8 cannot parse them yet: the test file dies with a
 * SyntaxError. tsc lowers them for any target below ESNext, so only files that
 * actually contain a decorator pay for the slower transform.
 */
import ts from 'typescript';

export interface StandardDecoratorsPlugin {
  name: string;
  enforce: 'pre';
  transform(code: string, id: string): { code: string; map: string | undefined } | null;
}

// A decorator is `@identifier` opening a line or following a class-member
// boundary; JSDoc tags (` * @example`) never match because `*` comes first.
const DECORATOR = /(^|[\s{;])@[A-Za-z_$][\w$.]*\s*[(\n\s]/m;

/** True when `code` looks like it holds a standard decorator. */
export function hasDecorator(code: string): boolean {
  return DECORATOR.test(code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, ''));
}

/**
 * @example
 * // vitest.config.ts
 * export default defineConfig({ plugins: [standardDecorators()] });
 */
export function standardDecorators(): StandardDecoratorsPlugin {
  return {
    name: 'rampart:standard-decorators',
    enforce: 'pre',
    transform(code, id) {
      const file = id.replace(/\?.*$/s, '');
      if (!/\.[cm]?tsx?$/.test(file) || file.includes('/node_modules/') || !hasDecorator(code)) return null;
      const out = ts.transpileModule(code, {
        fileName: file,
        compilerOptions: {
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ESNext,
          sourceMap: true,
          inlineSources: true,
          useDefineForClassFields: true,
          verbatimModuleSyntax: false,
        },
      });
      return { code: out.outputText.replace(/\/\/# sourceMappingURL=.*$/m, ''), map: out.sourceMapText };
    },
  };
}
