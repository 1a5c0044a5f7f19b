/**
 * The environment a measurement was taken in. Stored baselines are only
 * comparable on the same machine class and runtime: a V8 upgrade or another
 * CPU moves every number, and that is not the code's doing.
 */
import { arch, cpus, platform, release } from 'node:os';

export interface Fingerprint {
  node: string;
  v8: string;
  cpu: string;
  cores: number;
  os: string;
}

/** The first CPU's model, whitespace-normalised ('unknown' where the OS does not say). */
export function cpuModel(list: ReadonlyArray<{ model: string }>): string {
  return (list[0]?.model ?? 'unknown').trim().replace(/\s+/g, ' ');
}

/**
 * @example
 * currentFingerprint(); // { node: 'v24.21.0', v8: '13.6…', cpu: 'AMD EPYC…', cores: 2, os: 'linux 6.8 x64' }
 */
export function currentFingerprint(): Fingerprint {
  const list = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    cpu: cpuModel(list),
    cores: list.length,
    os: `${platform()} ${release()} ${arch()}`,
  };
}

/**
 * The fields that differ, as `field: stored → current`; empty when comparable.
 * @example
 * fingerprintDifferences(stored, currentFingerprint()); // ['node: v24.1.0 → v24.21.0']
 */
export function fingerprintDifferences(stored: Fingerprint, current: Fingerprint): string[] {
  const keys = ['node', 'v8', 'cpu', 'cores', 'os'] as const;
  return keys
    .filter((k) => stored[k] !== current[k])
    .map((k) => `${k}: ${String(stored[k])} → ${String(current[k])}`);
}
