import { describe, expect, it } from 'vitest';
import { parseArgs } from './cli-args.ts';

describe('parseArgs', () => {
  it.each([[[]], [['--help']], [['-h']], [['help']]])('reads %j as help', (argv) => {
    expect(parseArgs(argv)).toEqual({ kind: 'help' });
  });

  it('reads ci with repeated --only/--skip in both spellings and --json', () => {
    expect(parseArgs(['ci', '--only', 'lint', '--only=test', '--skip', 'bench', '--skip=mutation', '--json'])).toEqual({
      kind: 'ci',
      only: ['lint', 'test'],
      skip: ['bench', 'mutation'],
      json: true,
    });
  });

  it('reads plain ci', () => {
    expect(parseArgs(['ci'])).toEqual({ kind: 'ci', only: [], skip: [], json: false });
  });

  it('reads a gate name with the rest as its argv', () => {
    expect(parseArgs(['bench', '--update', 'vault'])).toEqual({ kind: 'gate', name: 'bench', args: ['--update', 'vault'] });
  });

  it('reads a name with a colon as a gate command', () => {
    expect(parseArgs(['contracts:lock', '--force'])).toEqual({ kind: 'command', name: 'contracts:lock', args: ['--force'] });
  });

  it.each([
    [['ci', '--only'], '--only needs a gate name'],
    [['ci', '--skip', '--json'], '--skip needs a gate name'],
    [['ci', '--only='], '--only needs a gate name'],
    [['ci', '--verbose'], 'unknown option --verbose for ci'],
    [['ci', '--json=yes'], 'unknown option --json=yes for ci'],
    [['--only', 'lint'], 'expected a command before --only'],
  ])('rejects %j: %s', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(expect.objectContaining({ code: 'HARNESS_ERR_USAGE', message: `Invalid command line: ${message}` }));
  });
});
