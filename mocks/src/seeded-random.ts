/**
 * A deterministic random source (sfc32, seeded through splitmix32) for tests that
 * need repeatable "random" data: nonces, ids, shuffles. Never for real secrets.
 */
import { MocksError } from './errors.ts';

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * @example
 * const random = new SeededRandom(42);
 * const vault = createVault({ randomBytes: random.randomBytes });
 * random.int(1, 6); // same sequence on every run
 */
export class SeededRandom {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed = 1) {
    if (!Number.isInteger(seed)) throw new MocksError('MOCKS_ERR_BAD_ARGUMENT', `seed must be an integer, got ${String(seed)}`);
    const next = splitmix32(seed);
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next();
  }

  /** Next 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new MocksError('MOCKS_ERR_BAD_ARGUMENT', `int(min, max) needs integers with min <= max, got ${min}, ${max}`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** `n` deterministic bytes; same signature as `crypto.randomBytes(n)`, so it can be injected. */
  readonly randomBytes = (n: number): Buffer => {
    if (!Number.isInteger(n) || n < 0) throw new MocksError('MOCKS_ERR_BAD_ARGUMENT', `randomBytes needs a whole number >= 0, got ${String(n)}`);
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i += 4) {
      const word = this.uint32();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
    }
    return out;
  };

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new MocksError('MOCKS_ERR_BAD_ARGUMENT', 'pick() needs a non-empty array');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** A shuffled copy (Fisher-Yates); the input is not modified. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}
