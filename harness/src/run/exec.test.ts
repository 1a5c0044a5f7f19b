import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempRoot } from '../test-support/sinks.ts';
import { createExec } from './exec.ts';

const node = process.execPath;

describe('createExec', () => {
  it('captures stdout, stderr and the exit code without streaming by default', async () => {
    using root = tempRoot();
    const lines: string[] = [];
    const exec = createExec({ root: root.path, env: process.env, onLine: (l) => lines.push(l) });
    const result = await exec(node, ['-e', 'console.log("out"); console.error("err"); process.exit(3)']);
    expect(result).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(lines).toEqual([]);
  });

  it('streams complete lines, including a last line without a newline', async () => {
    using root = tempRoot();
    const lines: string[] = [];
    const exec = createExec({ root: root.path, env: process.env, onLine: (l) => lines.push(l) });
    const result = await exec(node, ['-e', 'process.stdout.write("a\\r\\nb\\nc")'], { stream: true });
    expect(lines).toEqual(['a', 'b', 'c']);
    expect(result.stdout).toBe('a\r\nb\nc');
  });

  it("puts the root's node_modules/.bin first on PATH and runs in the root", async () => {
    using root = tempRoot();
    const bin = join(root.path, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'hello-tool'), '#!/bin/sh\necho "tool in $(pwd)"\n');
    chmodSync(join(bin, 'hello-tool'), 0o755);
    const exec = createExec({ root: root.path, env: { PATH: '/usr/bin:/bin' }, onLine: () => {} });
    const result = await exec('hello-tool', []);
    expect(result.stdout.trim()).toBe(`tool in ${root.path}`);
  });

  it('merges per-call env and cwd', async () => {
    using root = tempRoot();
    const sub = join(root.path, 'sub');
    mkdirSync(sub);
    const exec = createExec({ root: root.path, env: { BASE: 'b' }, onLine: () => {} });
    const result = await exec(node, ['-e', 'console.log(process.env.BASE, process.env.EXTRA, process.cwd())'], {
      env: { EXTRA: 'e' },
      cwd: sub,
    });
    expect(result.stdout).toBe(`b e ${sub}\n`);
  });

  it('returns 127 and the reason when the command does not exist', async () => {
    using root = tempRoot();
    const exec = createExec({ root: root.path, env: { PATH: '' }, onLine: () => {} });
    const result = await exec('definitely-not-a-command-xyz', []);
    expect(result.code).toBe(127);
    expect(result.stderr).toBe('spawn definitely-not-a-command-xyz ENOENT\n');
  });

  it('reports a child killed by a signal as 128 + the signal number', async () => {
    using root = tempRoot();
    const exec = createExec({ root: root.path, env: process.env, onLine: () => {} });
    const result = await exec(node, ['-e', 'process.kill(process.pid, "SIGTERM")']);
    expect(result.code).toBe(143);
  });
});
