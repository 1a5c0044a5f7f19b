import { expect, it } from 'vitest';
import { greet } from './greet.ts';

it('greets by name, or a stranger', () => {
  expect(greet(' Ada ')).toBe('Hello, Ada');
  expect(greet('  ')).toBe('Hello, stranger');
});
