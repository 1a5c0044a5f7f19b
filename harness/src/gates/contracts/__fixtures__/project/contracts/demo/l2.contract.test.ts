import { describe, expect, it } from 'vitest';
import { createCounter } from '@rampart/demo';

describe('counter options', () => {
  it.each([
    [5, 6],
    [10, 11],
  ])('starts at %i then increments to %i', (start, next) => {
    const counter = createCounter({ start });
    counter.increment();
    expect(counter.value()).toBe(next);
  });

  it('rejects a negative start with a typed error', () => {
    expect(() => createCounter({ start: -1 })).toThrow(expect.objectContaining({ code: 'DEMO_ERR_NEGATIVE' }));
  });
});
