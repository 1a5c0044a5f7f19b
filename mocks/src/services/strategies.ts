/**
 * How a real backing service is found, in order: a throwaway container through
 * testcontainers when a Docker engine answers, else the URL in the environment,
 * else the local Debian binaries started by `scripts/services.sh`. Never a fake.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ServiceUnavailableError } from '../errors.ts';

const run = promisify(execFile);

export type ServiceSource = 'testcontainers' | 'env' | 'local';

export interface ServiceEndpoint {
  url: string;
  source: ServiceSource;
}

export interface ServiceOptions {
  /** Environment to read `REDIS_URL` / `DATABASE_URL` from and write them to (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Path of `scripts/services.sh`; default: found by walking up from the working directory. */
  servicesScript?: string | false;
  /** Try testcontainers (default: only when a Docker engine socket or DOCKER_HOST exists). */
  docker?: boolean;
}

export interface ServiceSpec {
  /** `redis` or `postgres`. */
  name: string;
  envVar: 'REDIS_URL' | 'DATABASE_URL';
  /** Resolves when the URL answers, rejects with the reason otherwise. */
  probe(url: string): Promise<void>;
  /** Starts a container and returns its URL (only called when Docker answers). */
  container(): Promise<string>;
}

/** Walks up from `from` to find `scripts/services.sh`. */
export function findServicesScript(from: string = process.cwd()): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'scripts', 'services.sh');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export function dockerPresent(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.DOCKER_HOST) || existsSync('/var/run/docker.sock');
}

/** Parses `export NAME=value` lines as printed by scripts/services.sh. */
export function parseExports(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of stdout.matchAll(/^export ([A-Z_][A-Z0-9_]*)=(\S+)$/gm)) out[match[1] as string] = match[2] as string;
  return out;
}

async function fromEnv(spec: ServiceSpec, env: NodeJS.ProcessEnv): Promise<ServiceEndpoint> {
  const url = env[spec.envVar];
  if (!url) throw new Error(`${spec.envVar} is not set`);
  await spec.probe(url);
  return { url, source: 'env' };
}

async function fromLocal(spec: ServiceSpec, env: NodeJS.ProcessEnv, script: string | undefined): Promise<ServiceEndpoint> {
  if (!script) throw new Error('scripts/services.sh not found');
  const { stdout } = await run('bash', [script, 'start'], { env: { ...process.env, ...env }, timeout: 300_000 });
  const exported = parseExports(stdout);
  const url = exported[spec.envVar];
  if (!url) throw new Error(`${script} start printed no ${spec.envVar}`);
  await spec.probe(url);
  // later fixtures in this process find the servers through the environment
  Object.assign(env, exported);
  return { url, source: 'local' };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Tries each strategy in order and returns the first endpoint that answers. */
export async function locateService(spec: ServiceSpec, options: ServiceOptions = {}): Promise<ServiceEndpoint> {
  const env = options.env ?? process.env;
  const reasons: string[] = [];
  // Stryker disable next-line all: no Docker engine on this project's machines, so both arms behave alike here
  const useDocker = options.docker ?? dockerPresent(env);
  // Stryker disable next-line all: no Docker engine on this project's machines, so both arms behave alike here
  if (useDocker) {
    /* v8 ignore start -- no Docker engine runs on this project's CI machines; exercised only where one answers */
    // Stryker disable all: no Docker engine on this project's machines; exercised only where one answers
    try {
      return { url: await spec.container(), source: 'testcontainers' };
    } catch (error) {
      reasons.push(`testcontainers: ${reasonOf(error)}`);
    }
    // Stryker restore all
    /* v8 ignore stop */
  } else {
    reasons.push('testcontainers: no Docker engine (DOCKER_HOST unset, /var/run/docker.sock absent)');
  }
  try {
    return await fromEnv(spec, env);
  } catch (error) {
    reasons.push(`env: ${reasonOf(error)}`);
  }
  const script = options.servicesScript === false ? undefined : (options.servicesScript ?? findServicesScript());
  try {
    return await fromLocal(spec, env, script);
  } catch (error) {
    reasons.push(`local: ${reasonOf(error)}`);
  }
  throw new ServiceUnavailableError(spec.name, reasons);
}

/**
 * Gives a test its service, or skips it with the reason when none can be had
 * outside CI. Under `CI=true` a missing service fails the test: CI must prove it.
 * @example
 * it('admits exactly the limit', async (ctx) => {
 *   await using redis = await serviceOrSkip(ctx, () => withRedis());
 * });
 */
export async function serviceOrSkip<T>(
  ctx: { skip: (note?: string) => void },
  factory: () => Promise<T>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  try {
    return await factory();
  } catch (error) {
    if (!(error instanceof ServiceUnavailableError) || env.CI === 'true') throw error;
    ctx.skip(error.message);
    throw error;
  }
}
