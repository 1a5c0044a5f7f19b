/**
 * Injectable sources of randomness and time. Tests pass deterministic ones;
 * production uses the OS CSPRNG and the wall clock.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';

/** Returns `size` fresh random bytes. Must be a CSPRNG outside tests. */
export type RandomSource = (size: number) => Uint8Array;

/** Anything with `now()` in milliseconds since the epoch (`Date`, a FakeClock). */
export interface Clock {
  now(): number;
}

export const defaultRandom: RandomSource = (size) => nodeRandomBytes(size);
export const systemClock: Clock = Date;
