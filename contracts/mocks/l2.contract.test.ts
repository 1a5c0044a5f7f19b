// L2 contract of @rampart/mocks: every runtime export and its documented
// options (FakeClock timers, LogCapture queries, SeededRandom methods and
// argument checks, the error registry, the services strategy helpers, and the
// hermetic failure path of withRedis / withPostgres). No real Redis or
// PostgreSQL server is needed or started. Locked: these tests are never
// modified, only added to.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRampartError } from '@rampart/core';
import {
  FakeClock,
  LogCapture,
  MOCKS_ERRORS,
  MocksError,
  SeededRandom,
  ServiceUnavailableError,
  findServicesScript,
  parseExports,
  serviceOrSkip,
  withPostgres,
  withRedis,
} from '@rampart/mocks';

const T = 1_767_225_600_000; // 2026-01-01T00:00:00Z

/** The strategy name of each reason (`testcontainers: ...` -> `testcontainers`). */
function strategies(error: unknown): string[] {
  expect(error).toBeInstanceOf(ServiceUnavailableError);
  return (error as ServiceUnavailableError).reasons.map((reason) => reason.slice(0, reason.indexOf(':')));
}

/** A stand-in for vitest's test context: records the note given to skip(). */
function standIn(): { notes: Array<string | undefined>; skip: (note?: string) => void } {
  const notes: Array<string | undefined> = [];
  return { notes, skip: (note?: string) => void notes.push(note) };
}

describe('FakeClock', () => {
  it('starts at 0 by default, or at the given time, and reads it through now()', () => {
    expect(new FakeClock().now()).toBe(0);
    expect(new FakeClock(T).now()).toBe(T);
  });

  it('advance(ms) moves time forward by ms; advance(0) leaves it', () => {
    const clock = new FakeClock(T);
    clock.advance(250);
    clock.advance(0);
    clock.advance(750);
    expect(clock.now()).toBe(T + 1_000);
  });

  it('set(ms) jumps to an absolute time, forwards or backwards', () => {
    const clock = new FakeClock(T);
    clock.set(T + 5_000);
    expect(clock.now()).toBe(T + 5_000);
    clock.set(T - 60_000);
    expect(clock.now()).toBe(T - 60_000);
  });

  it('setTimeout fires once, at its due time on this clock, and only when time reaches it', () => {
    const clock = new FakeClock(T);
    const seen: number[] = [];
    clock.setTimeout(() => seen.push(clock.now()), 100);
    clock.advance(99);
    expect(seen).toEqual([]);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(1);
    expect(seen).toEqual([T + 100]);
    clock.advance(1_000);
    expect(seen).toEqual([T + 100]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('fires every timer due within one advance in time order and ends at the target time', () => {
    const clock = new FakeClock(T);
    const seen: Array<[string, number]> = [];
    clock.setTimeout(() => seen.push(['late', clock.now() - T]), 30);
    clock.setTimeout(() => seen.push(['early', clock.now() - T]), 10);
    clock.setTimeout(() => seen.push(['middle', clock.now() - T]), 20);
    clock.advance(50);
    expect(seen).toEqual([
      ['early', 10],
      ['middle', 20],
      ['late', 30],
    ]);
    expect(clock.now()).toBe(T + 50);
  });

  it('setInterval fires every ms until cleared with clearTimeout', () => {
    const clock = new FakeClock(T);
    const ticks: number[] = [];
    const id = clock.setInterval(() => ticks.push(clock.now() - T), 100);
    clock.advance(350);
    expect(ticks).toEqual([100, 200, 300]);
    expect(clock.pendingTimers).toBe(1);
    clock.clearTimeout(id);
    clock.advance(1_000);
    expect(ticks).toEqual([100, 200, 300]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('clearTimeout cancels a timeout before it fires and leaves the others', () => {
    const clock = new FakeClock(T);
    const fired: string[] = [];
    const cancelled = clock.setTimeout(() => fired.push('cancelled'), 10);
    clock.setTimeout(() => fired.push('kept'), 20);
    expect(clock.pendingTimers).toBe(2);
    clock.clearTimeout(cancelled);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(100);
    expect(fired).toEqual(['kept']);
  });

  it('set(ms) forwards fires the timers due by then; backwards fires nothing and keeps them pending', () => {
    const clock = new FakeClock(T);
    const seen: number[] = [];
    clock.setTimeout(() => seen.push(clock.now() - T), 10);
    clock.set(T - 500);
    expect(seen).toEqual([]);
    expect(clock.pendingTimers).toBe(1);
    clock.set(T + 10);
    expect(seen).toEqual([10]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('refuses a non-finite start, a backwards or non-finite advance, a non-finite set and an empty interval with MOCKS_ERR_BAD_ARGUMENT, without moving', () => {
    const bad = expect.objectContaining({ name: 'MocksError', code: 'MOCKS_ERR_BAD_ARGUMENT', category: 'validation' });
    expect(() => new FakeClock(Number.NaN)).toThrow(bad);
    const clock = new FakeClock(T);
    expect(() => clock.advance(-1)).toThrow(bad);
    expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow(bad);
    expect(() => clock.set(Number.NaN)).toThrow(bad);
    expect(() => clock.setInterval(() => undefined, 0)).toThrow(bad);
    expect([clock.now(), clock.pendingTimers]).toEqual([T, 0]);
  });
});

describe('LogCapture', () => {
  it('lines are parsed from a real pino logger: level number, levelName, msg, time and fields', () => {
    const logs = new LogCapture();
    logs.logger.child({ module: 'db' }).info({ port: 5432 }, 'connected');
    const [line] = logs.lines;
    expect(line).toMatchObject({ level: 30, levelName: 'info', msg: 'connected', module: 'db', port: 5432 });
    expect(Number.isFinite(line?.time)).toBe(true);
  });

  it('names every pino level, trace included', () => {
    const logs = new LogCapture();
    for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) logs.logger[level](`${level} line`);
    expect(logs.lines.map((line) => [line.level, line.levelName])).toEqual([
      [10, 'trace'],
      [20, 'debug'],
      [30, 'info'],
      [40, 'warn'],
      [50, 'error'],
      [60, 'fatal'],
    ]);
  });

  it('at(levelName) returns only the lines at that level, in order', () => {
    const logs = new LogCapture();
    logs.logger.warn('first');
    logs.logger.info('between');
    logs.logger.warn('second');
    expect(logs.at('warn').map((line) => line.msg)).toEqual(['first', 'second']);
    expect(logs.at('error')).toEqual([]);
  });

  it('find(string) matches msg exactly, find(RegExp) tests it; both return the first match or undefined', () => {
    const logs = new LogCapture();
    logs.logger.info({ n: 1 }, 'request failed');
    logs.logger.error({ n: 2 }, 'request failed');
    expect(logs.find('request failed')?.n).toBe(1);
    expect(logs.find('request')).toBeUndefined();
    expect(logs.find(/failed$/)?.n).toBe(1);
    expect(logs.find(/^nothing/)).toBeUndefined();
  });

  it('text is every raw line joined by newlines, as the logger wrote them', () => {
    const logs = new LogCapture();
    logs.logger.info({ token: 'abc123' }, 'one');
    logs.logger.info('two');
    expect(logs.raw).toHaveLength(2);
    expect(logs.text).toBe(logs.raw.join('\n'));
    expect(logs.text).toContain('"token":"abc123"');
    expect(logs.raw.map((raw) => (JSON.parse(raw) as { msg: string }).msg)).toEqual(['one', 'two']);
  });

  it('clear() forgets every captured line', () => {
    const logs = new LogCapture();
    logs.logger.info('gone');
    logs.clear();
    expect(logs.lines).toEqual([]);
    expect(logs.raw).toEqual([]);
    expect(logs.text).toBe('');
    expect(logs.find('gone')).toBeUndefined();
  });

  it('applies the pino options it is given, such as redaction', () => {
    const logs = new LogCapture({ redact: ['password'] });
    logs.logger.info({ password: 'hunter2' }, 'login');
    expect(logs.text).not.toContain('hunter2');
    expect(logs.find('login')?.password).toBe('[Redacted]');
  });
});

describe('SeededRandom', () => {
  it('randomBytes(n) returns a Buffer of n bytes, an empty one for 0', () => {
    const random = new SeededRandom(42);
    const bytes = random.randomBytes(10);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes).toHaveLength(10);
    expect(random.randomBytes(0)).toHaveLength(0);
  });

  it('the same seed gives the same sequence from every method; another seed another one', () => {
    const run = (seed: number) => {
      const random = new SeededRandom(seed);
      return [random.uint32(), random.next(), random.int(1, 1_000_000), random.randomBytes(8).toString('hex'), random.pick(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']), random.shuffle([1, 2, 3, 4, 5, 6, 7, 8])];
    };
    expect(run(42)).toEqual(run(42));
    expect(run(-7)).toEqual(run(-7));
    expect(run(43)).not.toEqual(run(42));
    expect(new SeededRandom().randomBytes(16)).toEqual(new SeededRandom().randomBytes(16));
  });

  it('randomBytes works detached from its instance, like crypto.randomBytes', () => {
    const { randomBytes } = new SeededRandom(9);
    expect(randomBytes(16)).toEqual(new SeededRandom(9).randomBytes(16));
  });

  it('uint32() is a 32-bit unsigned integer and next() a float in [0, 1)', () => {
    const random = new SeededRandom(7);
    for (let i = 0; i < 200; i++) {
      const word = random.uint32();
      const x = random.next();
      expect([Number.isInteger(word), word >= 0, word <= 0xffffffff, x >= 0, x < 1]).toEqual([true, true, true, true, true]);
    }
  });

  it('int(min, max) stays within both inclusive bounds and reaches each of them', () => {
    const random = new SeededRandom(5);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(random.int(-2, 2));
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
    expect(new SeededRandom(5).int(3, 3)).toBe(3);
  });

  it('pick() returns an element; shuffle() returns a permuted copy and leaves the input alone', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8] as const;
    expect(items).toContain(new SeededRandom(3).pick(items));
    const shuffled = new SeededRandom(3).shuffle(items);
    expect(shuffled).not.toBe(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  const BAD_ARGUMENTS = [
    ['a fractional seed', () => new SeededRandom(1.5)],
    ['a non-finite seed', () => new SeededRandom(Number.NaN)],
    ['int with min > max', () => new SeededRandom(1).int(5, 4)],
    ['int with a fractional bound', () => new SeededRandom(1).int(0.5, 4)],
    ['randomBytes with a negative size', () => new SeededRandom(1).randomBytes(-1)],
    ['randomBytes with a fractional size', () => new SeededRandom(1).randomBytes(1.5)],
    ['pick from an empty array', () => new SeededRandom(1).pick([])],
  ] as const;

  for (const [name, call] of BAD_ARGUMENTS) {
    it(`refuses ${name} with MocksError MOCKS_ERR_BAD_ARGUMENT`, () => {
      let thrown: unknown;
      try {
        call();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(MocksError);
      expect((thrown as MocksError).code).toBe('MOCKS_ERR_BAD_ARGUMENT');
    });
  }
});

describe('MOCKS_ERRORS', () => {
  it('holds exactly the two documented codes', () => {
    expect(Object.keys(MOCKS_ERRORS).sort()).toEqual(['MOCKS_ERR_BAD_ARGUMENT', 'MOCKS_ERR_SERVICE_UNAVAILABLE']);
    expect(Object.values(MOCKS_ERRORS).every((text) => typeof text === 'string' && text.length > 0)).toBe(true);
  });
});

describe('MocksError', () => {
  it('is an Error carrying its code, the category of its code, its cause and the detail in its message', () => {
    const cause = new Error('low level');
    const error = new MocksError('MOCKS_ERR_BAD_ARGUMENT', 'seed must be an integer', { cause });
    expect(error).toBeInstanceOf(Error);
    expect([error.code, error.category, error.cause]).toEqual(['MOCKS_ERR_BAD_ARGUMENT', 'validation', cause]);
    expect(new MocksError('MOCKS_ERR_SERVICE_UNAVAILABLE', 'nothing answered').category).toBe('dependency');
    expect(error.message).toContain('seed must be an integer');
  });

  it('is recognised by isRampartError from @rampart/core', () => {
    const error = new MocksError('MOCKS_ERR_SERVICE_UNAVAILABLE', 'nothing answered');
    expect(isRampartError(error) && error.code).toBe('MOCKS_ERR_SERVICE_UNAVAILABLE');
  });
});

describe('ServiceUnavailableError', () => {
  it('is a MocksError with code MOCKS_ERR_SERVICE_UNAVAILABLE, its service and every reason', () => {
    const error = new ServiceUnavailableError('redis', ['env: REDIS_URL is not set', 'local: scripts/services.sh not found']);
    expect(error).toBeInstanceOf(MocksError);
    expect(isRampartError(error)).toBe(true);
    expect([error.code, error.service, error.reasons]).toEqual(['MOCKS_ERR_SERVICE_UNAVAILABLE', 'redis', ['env: REDIS_URL is not set', 'local: scripts/services.sh not found']]);
    expect(error.message).toContain('env: REDIS_URL is not set');
    expect(error.message).toContain('local: scripts/services.sh not found');
  });
});

describe('parseExports', () => {
  it('reads whole `export NAME=value` lines and ignores everything else', () => {
    expect(parseExports('export REDIS_URL=redis://127.0.0.1:6390\nservices: started\nexport DATABASE_URL=postgres://u@127.0.0.1:5440/postgres\n')).toEqual({
      REDIS_URL: 'redis://127.0.0.1:6390',
      DATABASE_URL: 'postgres://u@127.0.0.1:5440/postgres',
    });
    expect(parseExports('say export A=1\nexport B=2 # trailing\nexport C=3')).toEqual({ C: '3' });
    expect(parseExports('')).toEqual({});
  });
});

describe('findServicesScript', () => {
  let root = '';

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'rampart-mocks-contract-'));
    mkdirSync(join(root, 'project', 'scripts'), { recursive: true });
    mkdirSync(join(root, 'project', 'packages', 'deep', 'er'), { recursive: true });
    mkdirSync(join(root, 'elsewhere'), { recursive: true });
    writeFileSync(join(root, 'project', 'scripts', 'services.sh'), '#!/bin/sh\n');
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds scripts/services.sh in the given folder or by walking up from it', () => {
    const script = join(root, 'project', 'scripts', 'services.sh');
    expect(findServicesScript(join(root, 'project'))).toBe(script);
    expect(findServicesScript(join(root, 'project', 'packages', 'deep', 'er'))).toBe(script);
  });

  it('returns undefined when no folder up to the root has one', () => {
    expect(findServicesScript(join(root, 'elsewhere'))).toBeUndefined();
  });

  it('starts from the working directory by default', () => {
    expect(findServicesScript()).toBe(findServicesScript(process.cwd()));
  });
});

describe('serviceOrSkip', () => {
  const unavailable = () => Promise.reject(new ServiceUnavailableError('redis', ['env: REDIS_URL is not set']));

  it('returns what the factory resolves to, without skipping', async () => {
    const ctx = standIn();
    const fixture = { url: 'redis://127.0.0.1:6390' };
    await expect(serviceOrSkip(ctx, () => Promise.resolve(fixture), {})).resolves.toBe(fixture);
    await expect(serviceOrSkip(ctx, () => Promise.resolve(fixture), { CI: 'true' })).resolves.toBe(fixture);
    expect(ctx.notes).toEqual([]);
  });

  it('outside CI, skips the test with the reason when the service is unavailable', async () => {
    const ctx = standIn();
    await expect(serviceOrSkip(ctx, unavailable, {})).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(ctx.notes).toHaveLength(1);
    expect(ctx.notes[0]).toContain('env: REDIS_URL is not set');
  });

  it("under CI: 'true', rethrows the unavailable error and does not skip", async () => {
    const ctx = standIn();
    const error: unknown = await serviceOrSkip(ctx, unavailable, { CI: 'true' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).code).toBe('MOCKS_ERR_SERVICE_UNAVAILABLE');
    expect(ctx.notes).toEqual([]);
  });

  it('rethrows any other error unchanged and does not skip, in CI or not', async () => {
    const ctx = standIn();
    const other = new Error('connection reset');
    await expect(serviceOrSkip(ctx, () => Promise.reject(other), {})).rejects.toBe(other);
    await expect(serviceOrSkip(ctx, () => Promise.reject(other), { CI: 'true' })).rejects.toBe(other);
    expect(ctx.notes).toEqual([]);
  });
});

describe('withRedis / withPostgres: no strategy available', () => {
  const SERVICES = [
    ['withRedis', withRedis, 'REDIS_URL'],
    ['withPostgres', withPostgres, 'DATABASE_URL'],
  ] as const;

  for (const [name, open, envVar] of SERVICES) {
    it(`${name}({ docker: false, env: {}, servicesScript: false }) rejects with ServiceUnavailableError naming each strategy`, async () => {
      const error: unknown = await open({ docker: false, env: {}, servicesScript: false }).catch((e: unknown) => e);
      expect(strategies(error)).toEqual(['testcontainers', 'env', 'local']);
      expect((error as ServiceUnavailableError).code).toBe('MOCKS_ERR_SERVICE_UNAVAILABLE');
      expect((error as ServiceUnavailableError).reasons[1]).toContain(envVar);
    });
  }

  for (const [name, open] of SERVICES) {
    it(`${name}({ servicesScript }) runs that script and reports it under local when it yields no server`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rampart-mocks-contract-'));
      try {
        const marker = join(dir, 'ran');
        const script = join(dir, 'services.sh');
        writeFileSync(script, `echo ran > '${marker}'\necho "export OTHER=1"\n`);
        const error: unknown = await open({ docker: false, env: {}, servicesScript: script }).catch((e: unknown) => e);
        expect(strategies(error)).toEqual(['testcontainers', 'env', 'local']);
        expect(readFileSync(marker, 'utf8')).toBe('ran\n');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
