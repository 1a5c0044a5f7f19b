// Fixture contract suite: the gate's own tests lock it, then tamper with it.
import { beforeEach, describe, expect, it } from 'vitest';
import { createCounter, VERSION } from '@rampart/demo';
import type { Counter } from '@rampart/demo';

function freshCounter(start = 0): Counter {
  return createCounter({ start });
}

const STEP = 1;

describe('counter', () => {
  let counter: Counter;

  beforeEach(() => {
    counter = freshCounter();
  });

  it('starts at zero', () => {
    expect(counter.value()).toBe(0);
  });

  it('increments by one', () => {
    counter.increment();
    expect(counter.value()).toBe(STEP);
  });

  describe('reset', () => {
    it('goes back to the start value', () => {
      counter.increment();
      counter.reset();
      expect(counter.value()).toEqual(0);
    });
  });
});

it('exposes a version', () => {
  expect(VERSION).toMatch(/^\d+\.\d+\.\d+$/);
});
