import { describe, expect, it } from 'vitest';
import type { ExecResult, GateContext } from '../../gate.ts';
import { buildGate } from './build.ts';
import { countTsErrors } from './command-gate.ts';
import { lintCounts, lintGate } from './lint.ts';
import { typecheckGate } from './typecheck.ts';

function contextReturning(result: ExecResult, calls: unknown[] = []): GateContext {
  return {
    root: '/repo',
    ci: true,
    config: { gates: [], thresholds: { coverage: { floor: 95 } } },
    argv: [],
    log: () => {},
    exec: (command, args, options) => {
      calls.push([command, args, options]);
      return Promise.resolve(result);
    },
  };
}

const TS_ERRORS = [
  '> rampart@ typecheck',
  '> tsc -p tsconfig.json --noEmit',
  'npm warn Unknown user config "nodedir".',
  'a.ts(1,1): error TS2322: Type string is not assignable to number.',
  'b.ts(2,5): error TS2304: Cannot find name x.',
  '',
].join('\n');

describe('command gates', () => {
  it('typecheck runs npm run typecheck streamed and passes on exit 0', async () => {
    const calls: unknown[] = [];
    const result = await typecheckGate.run(contextReturning({ code: 0, stdout: '', stderr: '' }, calls));
    expect(calls).toEqual([['npm', ['run', 'typecheck'], { stream: true }]]);
    expect(result).toEqual({ status: 'passed', summary: 'no type errors', figures: { exitCode: 0, errors: 0 } });
  });

  it('typecheck fails with the error count and the diagnostic lines without npm chatter', async () => {
    const result = await typecheckGate.run(contextReturning({ code: 2, stdout: TS_ERRORS, stderr: '' }));
    expect(result).toEqual({
      status: 'failed',
      summary: '2 type errors',
      figures: { exitCode: 2, errors: 2 },
      details: ['a.ts(1,1): error TS2322: Type string is not assignable to number.', 'b.ts(2,5): error TS2304: Cannot find name x.'],
    });
  });

  it('typecheck names the exit code when tsc failed without diagnostics, and says "1 type error" in the singular', async () => {
    expect((await typecheckGate.run(contextReturning({ code: 127, stdout: '', stderr: 'sh: tsc: not found' }))).summary).toBe('exit code 127');
    expect((await typecheckGate.run(contextReturning({ code: 2, stdout: 'a.ts(1,1): error TS1: x', stderr: '' }))).summary).toBe('1 type error');
  });

  it('build reports built or its errors', async () => {
    expect((await buildGate.run(contextReturning({ code: 0, stdout: '', stderr: '' }))).summary).toBe('built');
    expect((await buildGate.run(contextReturning({ code: 1, stdout: TS_ERRORS, stderr: '' }))).summary).toBe('2 build errors');
    expect((await buildGate.run(contextReturning({ code: 1, stdout: 'a.ts(1,1): error TS1: x', stderr: '' }))).summary).toBe('1 build error');
    expect((await buildGate.run(contextReturning({ code: 1, stdout: '', stderr: '' }))).summary).toBe('exit code 1');
  });

  it('lint reads the eslint footer', async () => {
    const footer = '\n/repo/a.ts\n  3:1  error  x  no-empty\n\n✖ 3 problems (2 errors, 1 warning)\n';
    expect(await lintGate.run(contextReturning({ code: 1, stdout: footer, stderr: '' }))).toMatchObject({
      status: 'failed',
      summary: '2 errors, 1 warning',
      figures: { exitCode: 1, errors: 2, warnings: 1 },
    });
    expect((await lintGate.run(contextReturning({ code: 0, stdout: '', stderr: '' }))).summary).toBe('clean');
    expect((await lintGate.run(contextReturning({ code: 1, stdout: '✖ 1 problem (1 error, 0 warnings)', stderr: '' }))).summary).toBe(
      '1 error, 0 warnings',
    );
    expect((await lintGate.run(contextReturning({ code: 0, stdout: '✖ 1 problem (0 errors, 1 warning)', stderr: '' }))).summary).toBe(
      '0 errors, 1 warning',
    );
    expect((await lintGate.run(contextReturning({ code: 2, stdout: '', stderr: 'Oops! Something went wrong!' }))).summary).toBe('exit code 2');
  });

  it('counts diagnostics', () => {
    expect(countTsErrors(TS_ERRORS)).toBe(2);
    expect(lintCounts('✖ 12 problems (10 errors, 2 warnings)')).toEqual({ errors: 10, warnings: 2 });
    expect(lintCounts('')).toEqual({ errors: 0, warnings: 0 });
  });

  it('keeps only the last 40 lines of a long failure', async () => {
    const output = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const result = await buildGate.run(contextReturning({ code: 1, stdout: output, stderr: '' }));
    expect(result.details).toHaveLength(40);
    expect(result.details?.[0]).toBe('line 10');
  });
});
