import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempRoot } from '../test-support/sinks.ts';
import { findConfig, loadConfig, validateConfig } from './load-config.ts';

describe('findConfig', () => {
  it('finds the nearest config upward from the working directory', () => {
    using root = tempRoot();
    const deep = join(root.path, 'packages', 'vault', 'src');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(root.path, 'harness.config.ts'), 'export default {};\n');
    writeFileSync(join(root.path, 'packages', 'harness.config.mjs'), 'export default {};\n');
    expect(findConfig(deep)).toBe(join(root.path, 'packages', 'harness.config.mjs'));
    expect(findConfig(root.path)).toBe(join(root.path, 'harness.config.ts'));
  });

  it('returns undefined when no directory up to the filesystem root has one', () => {
    using root = tempRoot();
    expect(findConfig(root.path)).toBeUndefined();
  });
});

describe('loadConfig', () => {
  it('loads a TypeScript config and uses its directory as the root', async () => {
    using root = tempRoot();
    writeFileSync(
      join(root.path, 'harness.config.ts'),
      "const floor: number = 90;\nexport default { gates: ['lint'], thresholds: { coverage: { floor } } };\n",
    );
    const loaded = await loadConfig(join(root.path));
    expect(loaded).toEqual({
      root: root.path,
      file: join(root.path, 'harness.config.ts'),
      config: { gates: ['lint'], thresholds: { coverage: { floor: 90 } } },
    });
  });

  it('wraps a config that fails to import in HARNESS_ERR_CONFIG_INVALID with the cause', async () => {
    using root = tempRoot();
    writeFileSync(join(root.path, 'harness.config.mjs'), "throw new Error('bad import');\n");
    const error = await loadConfig(root.path).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HARNESS_ERR_CONFIG_INVALID', cause: new Error('bad import') });
    expect((error as Error).message).toContain('harness.config.mjs failed to load: bad import');
  });

  it('fails with HARNESS_ERR_CONFIG_NOT_FOUND when there is no config', async () => {
    using root = tempRoot();
    await expect(loadConfig(root.path)).rejects.toMatchObject({ code: 'HARNESS_ERR_CONFIG_NOT_FOUND' });
  });
});

describe('validateConfig', () => {
  const ok = { gates: ['lint', { name: 'custom', run: () => Promise.resolve() }], thresholds: { coverage: { floor: 95 } } };

  it('accepts gate names and gate objects', () => {
    expect(validateConfig(ok, 'h.ts')).toBe(ok);
  });

  it.each([
    [null, 'the default export must be an object (use defineConfig)'],
    [{ thresholds: { coverage: { floor: 95 } } }, '`gates` must be an array of gate names or gate objects'],
    [{ gates: ['lint', ''], thresholds: { coverage: { floor: 95 } } }, 'gates[1] must be a gate name or an object with `name` and `run`'],
    [{ gates: [{ name: 'x' }], thresholds: { coverage: { floor: 95 } } }, 'gates[0] must be a gate name or an object with `name` and `run`'],
    [{ gates: [null], thresholds: { coverage: { floor: 95 } } }, 'gates[0] must be a gate name or an object with `name` and `run`'],
    [{ gates: ['lint', 'lint'], thresholds: { coverage: { floor: 95 } } }, 'gate "lint" is listed twice'],
    [{ gates: ['lint'], thresholds: {} }, '`thresholds.coverage.floor` must be a number'],
    [{ gates: ['lint'] }, '`thresholds.coverage.floor` must be a number'],
  ])('rejects %j', (value, why) => {
    expect(() => validateConfig(value, 'h.ts')).toThrow(
      expect.objectContaining({ code: 'HARNESS_ERR_CONFIG_INVALID', message: `harness.config.ts is not a valid harness config: h.ts: ${why}` }),
    );
  });
});
