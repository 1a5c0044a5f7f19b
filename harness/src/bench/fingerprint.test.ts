import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cpuModel, currentFingerprint, fingerprintDifferences } from './fingerprint.ts';

describe('fingerprint', () => {
  it('describes this runtime and machine', () => {
    const fp = currentFingerprint();
    expect(fp.node).toBe(process.version);
    expect(fp.v8).toBe(process.versions.v8);
    expect(fp.cores).toBe(cpus().length);
    expect(fp.os).toContain(process.arch);
    expect(fp.cpu).not.toMatch(/\s{2,}/);
  });

  it('normalises the CPU model and copes with an OS that lists no CPU', () => {
    expect(cpuModel([{ model: '  Intel(R)   Xeon(R)  ' }])).toBe('Intel(R) Xeon(R)');
    expect(cpuModel([])).toBe('unknown');
  });

  it('lists the fields that differ', () => {
    const fp = currentFingerprint();
    expect(fingerprintDifferences(fp, fp)).toEqual([]);
    expect(fingerprintDifferences({ ...fp, node: 'v22.0.0', cores: 64 }, fp)).toEqual([`node: v22.0.0 → ${fp.node}`, `cores: 64 → ${fp.cores}`]);
  });
});
