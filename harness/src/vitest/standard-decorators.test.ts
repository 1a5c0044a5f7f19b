import { describe, expect, it } from 'vitest';
import { hasDecorator, standardDecorators } from './standard-decorators.ts';

// This file itself holds a standard decorator: if the plugin did not lower it,
// vitest would fail to parse this file with a SyntaxError before any test ran.
const calls: string[] = [];
function logged<This, Args extends unknown[], R>(target: (this: This, ...args: Args) => R, context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => R>) {
  return function (this: This, ...args: Args): R {
    calls.push(String(context.name));
    return target.call(this, ...args);
  };
}

class Greeter {
  @logged
  greet(name: string): string {
    return `hello ${name}`;
  }
}

describe('standardDecorators', () => {
  it('lowers TC39 standard decorators so a decorated class runs under vitest', () => {
    expect(new Greeter().greet('ada')).toBe('hello ada');
    expect(calls).toEqual(['greet']);
  });

  it('detects decorators but not JSDoc tags or e-mail addresses', () => {
    expect(hasDecorator('class A {\n  @Get()\n  m() {}\n}')).toBe(true);
    expect(hasDecorator('@Controller("/x")\nclass A {}')).toBe(true);
    expect(hasDecorator('/**\n * @example\n * foo()\n */\nconst a = 1;')).toBe(false);
    expect(hasDecorator('const mail = "ops@example.com";')).toBe(false);
  });

  it('transforms only TypeScript sources outside node_modules that hold a decorator', () => {
    const plugin = standardDecorators();
    const src = 'function d(t: unknown) { return t; }\nclass A {\n  @d\n  m() { return 1; }\n}\n';
    expect(plugin.transform(src, '/x/node_modules/y/a.ts')).toBeNull();
    expect(plugin.transform(src, '/x/a.js')).toBeNull();
    expect(plugin.transform('const a = 1;', '/x/a.ts')).toBeNull();
    const out = plugin.transform(src, '/x/a.ts?v=1');
    expect(out?.code).toContain('__esDecorate');
    expect(out?.code).not.toContain('@d');
    expect(out?.map).toContain('"mappings"');
  });
});
