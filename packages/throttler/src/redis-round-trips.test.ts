/**
 * "Exactly one Redis round trip per decision", counted on the server. MONITOR shows every command
 * the server runs and the connection it came from; the store gets a connection of its own, so
 * every command seen from that connection is the store's, keyed or not (a client-side TIME, a
 * SCRIPT LOAD or an EXISTS would all show). Commands a script runs inside Redis come from `lua`
 * and are no round trip. `INFO commandstats` is not used: it counts the whole server, which
 * other test files share.
 *
 * A script that is not cached costs one more: EVALSHA answers NOSCRIPT and the store sends EVAL,
 * which caches it. Whether the script was cached when each EVALSHA ran is read from the same
 * MONITOR stream (SCRIPT FLUSH, or EVAL / SCRIPT LOAD of the script, by any connection), so a
 * test file flushing scripts at the same time cannot make these assertions wrong.
 */
import { randomUUID } from 'node:crypto';
import { withRedis, type RedisFixture } from '@rampart/mocks';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter, type RateLimiter } from './limiter.ts';
import type { PolicyInput } from './policy.ts';
import { THROTTLE_SCRIPT, THROTTLE_SCRIPT_SHA } from './redis-script.ts';
import { RedisStore } from './redis-store.ts';

let redis: RedisFixture;
let admin: Redis; // loads and flushes the script, opens MONITOR
let conn: Redis; // the store's connection, and nobody else's
let connAddr: string;

beforeAll(async () => {
  redis = await withRedis();
  admin = redis.client();
  conn = redis.client();
  const info = await conn.client('INFO');
  connAddr = /\baddr=(\S+)/.exec(info)?.[1] ?? '';
  expect(connAddr).not.toBe('');
});
afterAll(async () => redis.close());

const HOUR = 3_600_000;
// MONITOR prints the script with its newlines escaped; its first function survives that.
const SCRIPT_MARK = 'local function fdiv(a, b)';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Seen {
  readonly source: string;
  readonly args: readonly string[];
}

/**
 * Every command the server ran while `work` ran, in server order, except the ones scripts ran.
 * The window closes with an ECHO on the store's connection: MONITOR keeps server order, so once
 * it shows that ECHO it has shown everything the store sent before it.
 */
async function monitored(work: () => Promise<void>): Promise<Seen[]> {
  const monitor = await admin.monitor();
  const seen: Seen[] = [];
  const end = `end-of-window:${randomUUID()}`;
  try {
    const closed = new Promise<void>((resolve) => {
      monitor.on('monitor', (_time: string, args: string[], source: string) => {
        if (source === 'lua') return;
        if (source === connAddr && args[1] === end) resolve();
        else seen.push({ source, args });
      });
    });
    await work();
    await conn.echo(end);
    await closed;
  } finally {
    monitor.disconnect();
  }
  return seen;
}

/** For each EVALSHA from the store's connection: was the script cached on the server when it ran? */
function cachedAtEachEvalsha(seen: readonly Seen[]): boolean[] {
  let cached: boolean | undefined;
  const answers: boolean[] = [];
  for (const { source, args } of seen) {
    const name = args[0]?.toLowerCase();
    const sub = args[1]?.toLowerCase();
    if (name === 'script' && sub === 'flush') cached = false;
    else if ((name === 'eval' || (name === 'script' && sub === 'load')) && args.some((a) => a.includes(SCRIPT_MARK))) cached = true;
    else if (source === connAddr && name === 'evalsha') {
      // every window starts with a SCRIPT LOAD or SCRIPT FLUSH of its own, so the state is known
      expect(cached).toBeTypeOf('boolean');
      answers.push(cached === true);
    }
  }
  return answers;
}

/** The store's commands: name, script (the SHA, or `<script>` for the script itself) and the keys. */
function storeCommands(seen: readonly Seen[]): { name: string; script: string; keys: string[] }[] {
  return seen
    .filter((c) => c.source === connAddr)
    .map(({ args }) => {
      const numKeys = Number(args[2]);
      const script = args[1]?.includes(SCRIPT_MARK) === true ? '<script>' : String(args[1]);
      return { name: String(args[0]).toLowerCase(), script, keys: args.slice(3, 3 + numKeys) };
    });
}

/**
 * What the server must have seen for these decisions: one EVALSHA each, and right after it an
 * EVAL of the same keys only when the script was not cached at that moment.
 */
function expectedCommands(decisionKeys: readonly (readonly string[])[], cached: readonly boolean[]) {
  expect(cached).toHaveLength(decisionKeys.length);
  return decisionKeys.flatMap((keys, i) => {
    const evalsha = { name: 'evalsha', script: THROTTLE_SCRIPT_SHA, keys: [...keys] };
    return cached[i] === true ? [evalsha] : [evalsha, { name: 'eval', script: '<script>', keys: [...keys] }];
  });
}

interface Case {
  readonly name: string;
  readonly policies: PolicyInput | readonly PolicyInput[];
}

// Hour-long windows on the server clock, so a window does not roll over during a test.
const CASES: readonly Case[] = [
  { name: 'fixed-window', policies: { algorithm: 'fixed-window', limit: 3, windowMs: HOUR } },
  { name: 'sliding-window', policies: { algorithm: 'sliding-window', limit: 3, windowMs: HOUR } },
  { name: 'sliding-log', policies: { algorithm: 'sliding-log', limit: 3, windowMs: HOUR } },
  { name: 'token-bucket', policies: { algorithm: 'token-bucket', limit: 3, windowMs: HOUR, burst: 3 } },
  { name: 'gcra', policies: { algorithm: 'gcra', limit: 3, windowMs: HOUR, burst: 3 } },
  {
    name: 'two policies',
    policies: [
      { name: 'hour', limit: 3, windowMs: HOUR },
      { name: 'day', algorithm: 'gcra', limit: 1_000, windowMs: 24 * HOUR },
    ],
  },
  {
    name: 'all five algorithms at once',
    policies: [
      { name: 'a', algorithm: 'fixed-window', limit: 3, windowMs: HOUR },
      { name: 'b', algorithm: 'sliding-window', limit: 4, windowMs: HOUR },
      { name: 'c', algorithm: 'sliding-log', limit: 4, windowMs: HOUR },
      { name: 'd', algorithm: 'token-bucket', limit: 5, windowMs: HOUR, burst: 5 },
      { name: 'e', algorithm: 'gcra', limit: 5, windowMs: HOUR, burst: 5 },
    ],
  },
];

function limiterFor(c: Case, prefix: string): { limiter: RateLimiter; store: RedisStore } {
  const store = new RedisStore({ client: conn, prefix: `${redis.prefix}${prefix}:` });
  // fail-closed and a long deadline: a decision that did not come from Redis fails the test below
  const limiter = createRateLimiter({ store, policies: c.policies, onStoreError: 'fail-closed', timeoutMs: 15_000, logger: quiet });
  return { limiter, store };
}

/** Five decisions for `key`: the first three admitted, then refused (every case allows 3). */
async function fiveDecisions(limiter: RateLimiter, key: string): Promise<void> {
  const decisions = [];
  for (let i = 0; i < 5; i++) decisions.push(await limiter.consume(key));
  expect(decisions.map((d) => [d.source, d.allowed])).toEqual([
    ['store', true],
    ['store', true],
    ['store', true],
    ['store', false],
    ['store', false],
  ]);
}

describe('Redis round trips per decision, counted by the server', () => {
  it('script cached: exactly one command (EVALSHA) per decision, admitted or refused, for every algorithm and multi-policy limit', async () => {
    const decisionKeys: string[][] = [];
    const seen = await monitored(async () => {
      expect(await admin.script('LOAD', THROTTLE_SCRIPT)).toBe(THROTTLE_SCRIPT_SHA);
      for (const [n, c] of CASES.entries()) {
        const { limiter, store } = limiterFor(c, 'cached');
        const key = `user=${n}`;
        await fiveDecisions(limiter, key);
        // the limiter namespaces keys as `<namespace>|<key>`
        for (let i = 0; i < 5; i++) decisionKeys.push(store.keysOf(`default|${key}`, limiter.policies));
      }
    });
    const cached = cachedAtEachEvalsha(seen);
    const commands = storeCommands(seen);
    expect(commands).toEqual(expectedCommands(decisionKeys, cached));
    // 35 decisions: 35 commands, plus one EVAL for each decision that met a script flushed meanwhile by another test file
    expect(commands.length - cached.filter((c) => !c).length).toBe(CASES.length * 5);
  });

  it('script not cached (first call on a server, SCRIPT FLUSH, failover): that decision takes two commands, EVALSHA (NOSCRIPT) then EVAL; the next ones one', async () => {
    const c: Case = { name: 'reload', policies: [{ name: 'hour', limit: 3, windowMs: HOUR }, { name: 'log', algorithm: 'sliding-log', limit: 3, windowMs: HOUR }] };
    let firstMissed = false;
    // Bounded retries: another test file may run the script between our flush and our first
    // decision, which caches it again (the stream shows it, and the assertions below still hold).
    for (let attempt = 0; attempt < 5 && !firstMissed; attempt++) {
      const { limiter, store } = limiterFor(c, `noscript${attempt}`);
      const key = `user=${attempt}`;
      const seen = await monitored(async () => {
        await admin.script('FLUSH');
        await fiveDecisions(limiter, key);
      });
      const cached = cachedAtEachEvalsha(seen);
      const keys = store.keysOf(`default|${key}`, limiter.policies);
      expect(storeCommands(seen)).toEqual(expectedCommands([keys, keys, keys, keys, keys], cached));
      firstMissed = cached[0] === false;
      // the EVAL cached the script: unless it was flushed again meanwhile, the other four decisions took one command each
      if (firstMissed && cached.slice(1).every(Boolean)) {
        expect(storeCommands(seen).map((x) => x.name)).toEqual(['evalsha', 'eval', 'evalsha', 'evalsha', 'evalsha', 'evalsha']);
      }
    }
    expect(firstMissed).toBe(true);
  });
});
