/**
 * A controllable clock for every module that reads time. Modules accept any
 * `{ now(): number }` (milliseconds since the epoch), so this fake needs no
 * import from them and they need none from here.
 */
import { MocksError } from './errors.ts';

function badArgument(detail: string): MocksError {
  return new MocksError('MOCKS_ERR_BAD_ARGUMENT', detail);
}

/** What every Rampart module that reads time accepts (`clock` option). */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

interface PendingTimer {
  id: number;
  at: number;
  fn: () => void;
  every: number | undefined;
}

/**
 * @example
 * const clock = new FakeClock(Date.UTC(2026, 0, 1));
 * limiter = createLimiter({ clock });
 * clock.advance(1_000); // one second later, no real waiting
 */
export class FakeClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers: PendingTimer[] = [];

  constructor(startMs = 0) {
    if (!Number.isFinite(startMs)) throw badArgument(`FakeClock start must be a finite number, got ${String(startMs)}`);
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Moves time forward by `ms`, firing due timers in time order. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw badArgument(`FakeClock.advance needs a finite ms >= 0, got ${String(ms)}`);
    this.#runUntil(this.#now + ms);
  }

  /** Jumps to an absolute time; moving backwards is allowed (a wall clock can step back) and fires nothing. */
  set(ms: number): void {
    if (!Number.isFinite(ms)) throw badArgument(`FakeClock.set needs a finite number, got ${String(ms)}`);
    // going backwards fires nothing: every pending timer is due at or after now
    this.#runUntil(ms);
  }

  /** Schedules `fn` at now + `ms` on this clock; returns an id for `clearTimeout`. */
  setTimeout(fn: () => void, ms: number): number {
    return this.#schedule(fn, ms, undefined);
  }

  /** Schedules `fn` every `ms` on this clock; returns an id for `clearTimeout`. */
  setInterval(fn: () => void, ms: number): number {
    if (!(ms > 0)) throw badArgument(`FakeClock.setInterval needs ms > 0, got ${String(ms)}`);
    return this.#schedule(fn, ms, ms);
  }

  clearTimeout(id: number): void {
    this.#timers = this.#timers.filter((t) => t.id !== id);
  }

  /** Number of timers still pending (to assert that nothing leaks). */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  #schedule(fn: () => void, ms: number, every: number | undefined): number {
    const id = this.#nextId++;
    this.#timers.push({ id, at: this.#now + Math.max(0, ms), fn, every });
    return id;
  }

  #runUntil(target: number): void {
    for (;;) {
      // earliest due timer; ties keep scheduling order, since the list is kept
      // in scheduling order and Array.prototype.sort is stable
      const due = this.#timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#now = due.at;
      if (due.every === undefined) this.clearTimeout(due.id);
      else due.at += due.every;
      due.fn();
    }
    this.#now = target;
  }
}
