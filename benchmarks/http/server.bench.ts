/**
 * HTTP throughput of Rampart beside bare Fastify and Express 5, in one run on
 * 127.0.0.1. Each server runs in its own child process (as in the
 * fastify/benchmarks harness: frameworks sharing one process would share, and
 * skew, each other's JIT state and event loop); autocannon drives them from
 * this process, so on a 2-core machine the server has one core and the load
 * generator the other. Every sample is a bounded run (2 s, 10 connections)
 * after a 1 s warm-up of every server on both routes, and returns
 * ns/request (1e9 / mean req/s). Rampart runs with its defaults
 * (request ids returned on every response, problem details, diagnostics)
 * minus logging and compression, which the peers lack.
 * Targets: ≥ 0.95× bare Fastify on hello-world, ≥ 0.9× on the validated POST.
 *
 * At 10 connections without pipelining the load generator, not the server, is
 * the bottleneck, so those ratios also weigh what the client pays per response.
 * The `…/saturated` tasks load the server the way the fastify/benchmarks
 * harness does (100 connections, 10 pipelined requests each), so the server,
 * not the client, sets the pace; they return 1e9 / req/s like the others. The
 * `…/server-cpu` tasks use the same load and return the server process's own
 * CPU time per request (user + system, from /proc): the cost a framework adds,
 * without the client's share.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { defineBenchSuite } from '@rampart/harness';

const DURATION_S = 2;
const WARMUP_S = 1;
const CONNECTIONS = 10;
const SERVER = new URL('./server-process.ts', import.meta.url).pathname;
const payload = JSON.stringify({ name: 'Ada Lovelace', age: 36 });

const urls: Record<'rampart' | 'fastify' | 'fastify-request-id' | 'express' | 'scoped' | 'unscoped', string> = {
  rampart: '', fastify: '', 'fastify-request-id': '', express: '', scoped: '', unscoped: '',
};
const pids: Partial<Record<keyof typeof urls, number>> = {};
const children: ChildProcess[] = [];

/** Starts one server process (same Node, same flags and module conditions) and waits for its URL. */
function startServer(name: keyof typeof urls): Promise<string> {
  const child = spawn(process.execPath, [...process.execArgv, SERVER, name], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  pids[name] = child.pid;
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${name} server exited with ${String(code)} before listening`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
}

/** fastify/benchmarks' load: 100 connections with 10 pipelined requests each keep one server core busy. */
const SATURATING = { connections: 100, pipelining: 10 } as const;

function run(target: keyof typeof urls, path: string, post: boolean, seconds: number, shape: { connections: number; pipelining?: number } = { connections: CONNECTIONS }): Promise<autocannon.Result> {
  return autocannon({
    url: urls[target] + path,
    ...shape,
    duration: seconds,
    workers: 1,
    ...(post ? { method: 'POST' as const, body: payload, headers: { 'content-type': 'application/json' } } : {}),
  });
}

function load(target: keyof typeof urls, path: string, post: boolean, shape?: { connections: number; pipelining: number }): () => Promise<number> {
  return async () => {
    const result = await run(target, path, post, DURATION_S, shape);
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${target} ${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return 1e9 / result.requests.average;
  };
}

// Linux's clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on every Linux ABI Node supports).
const NS_PER_TICK = 1e9 / 100;

/** CPU time (user + system) a process has used so far, in ns, from /proc/<pid>/stat. */
function cpuNs(pid: number): number {
  // Fields after the parenthesised command name: state is the 1st, utime the 12th, stime the 13th.
  const fields = readFileSync(`/proc/${String(pid)}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`cannot read the CPU time of process ${String(pid)} from /proc`);
  return ticks * NS_PER_TICK;
}

/** Server CPU ns per request while the server is saturated (100 connections × 10 pipelined). */
function serverCpu(target: keyof typeof urls, path: string): () => Promise<number> {
  return async () => {
    const pid = pids[target] as number;
    const before = cpuNs(pid);
    const result = await run(target, path, false, DURATION_S, SATURATING);
    const used = cpuNs(pid) - before;
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${target} ${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return used / result.requests.total;
  };
}

/**
 * The harness times the task before its peers in every process, so without a
 * warm-up Rampart alone would be measured with a cold JIT (its own and the
 * load generator's). Every server gets the same warm-up on both routes first.
 */
async function warmUp(): Promise<void> {
  for (const target of ['rampart', 'fastify', 'express'] as const) {
    await run(target, '/hello', false, WARMUP_S);
    await run(target, '/users', true, WARMUP_S);
  }
  await run('fastify-request-id', '/hello', false, WARMUP_S);
  await run('scoped', '/who', false, WARMUP_S);
  await run('unscoped', '/who', false, WARMUP_S);
}

export default defineBenchSuite({
  package: 'http',
  async setup() {
    const names = Object.keys(urls) as Array<keyof typeof urls>;
    const started = await Promise.all(names.map((name) => startServer(name)));
    names.forEach((name, i) => (urls[name] = started[i] as string));
    await warmUp();
  },
  async teardown() {
    await Promise.all(children.map((child) => new Promise((resolve) => {
      child.once('exit', resolve);
      child.stdin?.end();
    })));
  },
  tasks: [
    {
      name: 'http/hello-world',
      sample: load('rampart', '/hello', false),
      peers: {
        fastify: load('fastify', '/hello', false),
        'fastify + x-request-id': load('fastify-request-id', '/hello', false),
        'express 5': load('express', '/hello', false),
      },
    },
    {
      name: 'http/validated-post',
      sample: load('rampart', '/users', true),
      peers: { fastify: load('fastify', '/users', true), 'express 5': load('express', '/users', true) },
    },
    {
      // @rampart/core's request scope on a real HTTP request (issue target: at most 5% overhead).
      name: 'http/request-scope',
      sample: load('scoped', '/who', false),
      peers: { 'no request scope': load('unscoped', '/who', false) },
    },
    {
      // Same routes under fastify/benchmarks' load: ns per request = 1e9 / req/s with the server saturated.
      name: 'http/hello-world/saturated',
      sample: load('rampart', '/hello', false, SATURATING),
      peers: { fastify: load('fastify', '/hello', false, SATURATING), 'fastify + x-request-id': load('fastify-request-id', '/hello', false, SATURATING) },
    },
    {
      name: 'http/validated-post/saturated',
      sample: load('rampart', '/users', true, SATURATING),
      peers: { fastify: load('fastify', '/users', true, SATURATING) },
    },
    {
      name: 'http/hello-world/server-cpu',
      sample: serverCpu('rampart', '/hello'),
      peers: { fastify: serverCpu('fastify', '/hello'), 'fastify + x-request-id': serverCpu('fastify-request-id', '/hello') },
    },
    {
      name: 'http/request-scope/server-cpu',
      sample: serverCpu('scoped', '/who'),
      peers: { 'no request scope': serverCpu('unscoped', '/who') },
    },
  ],
});
