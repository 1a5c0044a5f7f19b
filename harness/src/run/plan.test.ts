import { describe, expect, it } from 'vitest';
import type { Gate } from '../gate.ts';
import { fakeGate } from '../test-support/sinks.ts';
import { planGates, planOne } from './plan.ts';

const registry = { lint: () => Promise.resolve(fakeGate('lint', { status: 'passed', summary: '' })) };
const custom: Gate = fakeGate('custom', { status: 'passed', summary: '' });
const config = { gates: ['lint', custom, 'constructor'], thresholds: { coverage: { floor: 95 } } };

describe('planGates', () => {
  it('keeps the declared order and resolves names, objects and unknown names', async () => {
    const plan = planGates(config, registry);
    expect(plan.map((g) => [g.name, g.skipped])).toEqual([
      ['lint', false],
      ['custom', false],
      ['constructor', false],
    ]);
    expect((await plan[0]?.load())?.name).toBe('lint');
    expect(await plan[1]?.load()).toBe(custom);
    // An inherited Object.prototype member is not a registered gate.
    await expect(plan[2]?.load()).rejects.toMatchObject({ code: 'HARNESS_ERR_GATE_MISSING' });
  });

  it('narrows with only and marks skip', () => {
    expect(planGates(config, registry, { only: ['custom', 'lint'], skip: ['lint'] }).map((g) => [g.name, g.skipped])).toEqual([
      ['lint', true],
      ['custom', false],
    ]);
  });
});

describe('planOne', () => {
  it('prefers the configured gate, then the registry', async () => {
    expect(await planOne(config.gates, registry, 'custom').load()).toBe(custom);
    expect((await planOne([], registry, 'lint').load()).name).toBe('lint');
    expect(() => planOne([], registry, 'toString')).toThrow('unknown gate or command "toString"');
  });
});
