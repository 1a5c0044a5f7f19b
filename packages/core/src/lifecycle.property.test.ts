import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { silentLogger } from './logger.ts';
import type { ModuleDefinition } from './module.ts';

/** Random DAG of modules: module i may require any j < i; registration order shuffled. */
const dag = fc.integer({ min: 1, max: 10 }).chain((n) =>
  fc.tuple(
    fc.array(fc.array(fc.nat(n - 1), { maxLength: 3 }), { minLength: n, maxLength: n }),
    fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
    fc.nat(n - 1),
    fc.constantFrom('init' as const, 'start' as const),
  ),
);

function build(deps: number[][], order: number[], calls: string[], failAt?: { index: number; hook: 'init' | 'start' }) {
  const requires = (i: number) => [...new Set((deps[i] ?? []).filter((j) => j < i).map((j) => `m${String(j)}`))];
  return order.map(
    (i): ModuleDefinition => ({
      name: `m${String(i)}`,
      version: '1.0.0',
      requires: requires(i),
      init: () => {
        if (failAt?.index === i && failAt.hook === 'init') throw new Error('init failed');
      },
      start: () => {
        if (failAt?.index === i && failAt.hook === 'start') throw new Error('start failed');
        calls.push(`start m${String(i)}`);
      },
      stop: () => void calls.push(`stop m${String(i)}`),
    }),
  );
}

describe('lifecycle laws', () => {
  it('start order respects every dependency edge and stop is exactly its reverse', async () => {
    await fc.assert(
      fc.asyncProperty(dag, async ([deps, order]) => {
        const calls: string[] = [];
        const modules = build(deps, order, calls);
        const app = createApp({ logger: silentLogger, modules });
        await app.start();
        const starts = calls.map((c) => c.slice(6));
        const position = new Map(starts.map((m, i) => [m, i]));
        for (const m of modules) for (const r of m.requires ?? []) expect(position.get(r) as number).toBeLessThan(position.get(m.name) as number);
        calls.length = 0;
        await app.stop();
        expect(calls.map((c) => c.slice(5))).toEqual([...starts].reverse());
      }),
      { numRuns: 60 },
    );
  });

  it('rollback after a failure at a random point leaves no module started, stopping in reverse start order', async () => {
    await fc.assert(
      fc.asyncProperty(dag, async ([deps, order, failing, hook]) => {
        const calls: string[] = [];
        const modules = build(deps, order, calls, { index: failing, hook });
        const app = createApp({ logger: silentLogger, modules });
        await expect(app.start()).rejects.toMatchObject({ code: 'CORE_ERR_START_FAILED', details: { module: `m${String(failing)}`, phase: hook } });
        const started = calls.filter((c) => c.startsWith('start ')).map((c) => c.slice(6));
        const stopped = calls.filter((c) => c.startsWith('stop ')).map((c) => c.slice(5));
        expect(stopped).toEqual([...started].reverse());
        expect(modules.filter((m) => app.moduleState(m.name) === 'started')).toEqual([]);
        expect(app.state).toBe('failed');
      }),
      { numRuns: 60 },
    );
  });
});
