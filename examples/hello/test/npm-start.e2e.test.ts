/**
 * The README's way to see Rampart run is `npm start` at the repository root:
 * it builds the example and its packages (`prestart: tsc -b`) and runs the
 * compiled `dist/main.js` on the packages' compiled `dist/` (no source
 * condition). main.test.ts imports `src/main.ts`, so only this test proves the
 * published build path works: a broken export map, a missing `.js` in dist or
 * a build error fails here and nowhere else.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
let child: ChildProcess | undefined;

interface LogLine { msg?: string; url?: string; drained?: boolean }

afterAll(() => {
  // Own process group (detached): npm, its shell and node stop together if the test failed half-way.
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
});

describe('example service: npm start', () => {
  it('builds, starts on the compiled packages, answers, and drains on SIGTERM', { timeout: 180_000 }, async () => {
    // PATH as npm gives scripts: node_modules/.bin first, so `node` is the pinned Node 24.
    child = spawn('npm', ['start', '--silent'], {
      cwd: root,
      detached: true,
      env: { ...process.env, HELLO_PORT: '0', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const started = child;
    const lines: LogLine[] = [];
    const exited = new Promise<number | null>((resolve) => started.once('exit', (code) => resolve(code)));
    const output = createInterface({ input: started.stdout as NodeJS.ReadableStream });
    // The pipe ends when its last writer exits: the node server, which may outlive npm and its shell
    // (they die on the group's SIGTERM at once, while the server still drains and logs).
    const ended = new Promise<void>((resolve) => output.once('close', resolve));
    const listening = new Promise<string>((resolve, reject) => {
      output.on('line', (line) => {
        if (!line.startsWith('{')) return;
        const entry = JSON.parse(line) as LogLine;
        lines.push(entry);
        if (entry.msg === 'http server listening' && entry.url !== undefined) resolve(entry.url);
      });
      void exited.then((code) => reject(new Error(`npm start exited with ${String(code)} before listening`)));
    });
    const url = await listening;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const response = await fetch(`${url}/v2/hello`, { headers: { 'x-request-id': 'npm-start-1' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('npm-start-1');
    expect(await response.json()).toEqual({ message: 'hello, world', version: '2', requestId: 'npm-start-1' });

    // The whole group, as a terminal's Ctrl-C or a container runtime's stop reaches it.
    process.kill(-(started.pid as number), 'SIGTERM');
    await exited;
    await ended;
    expect(lines.find((entry) => entry.msg === 'http server closed')).toMatchObject({ drained: true });
  });
});
