import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from './options.ts';

describe('parseBenchOptions', () => {
  it('has defaults for a plain run', () => {
    expect(parseBenchOptions([])).toEqual({ update: false, acceptRegression: false, packages: [], filters: [], time: 100, warmupTime: 30, build: true });
  });

  it('reads every option', () => {
    expect(parseBenchOptions(['--against', 'HEAD~2', '--package', 'vault', '--package', 'core', '--filter', 'vault/*', '--rounds', '7.4', '--time', '50', '--warmup', '10', '--budget', '120', '--no-build'])).toEqual({
      update: false, acceptRegression: false, against: 'HEAD~2', packages: ['vault', 'core'], filters: ['vault/*'],
      rounds: 7, time: 50, warmupTime: 10, budget: 120, build: false,
    });
    expect(parseBenchOptions(['--update', '--accept-regression'])).toMatchObject({ update: true, acceptRegression: true });
  });

  it('rejects bad numbers, unknown options and contradictory modes', () => {
    expect(() => parseBenchOptions(['--rounds', 'many'])).toThrow(new RangeError('--rounds must be a positive number, got "many"'));
    expect(() => parseBenchOptions(['--time', '0'])).toThrow(new RangeError('--time must be a positive number, got "0"'));
    expect(() => parseBenchOptions(['--update', '--against', 'HEAD'])).toThrow(new RangeError('--update and --against cannot be combined'));
    expect(() => parseBenchOptions(['--nope'])).toThrow(/Unknown option '--nope'/);
  });
});
