/**
 * Cross-cutting secret leakage: known secrets are planted in configuration,
 * errors, log calls, keys and request headers across every package, and none
 * may appear in any captured log line, error message, JSON.stringify or
 * util.inspect output. A planted secret is a long random string, so a match
 * cannot be a coincidence.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { defineSchema, loadConfig, objectFeeder, t } from '@rampart/config';
import { createApp, defineModule, RampartError } from '@rampart/core';
import { createHttpServer, defineController, defineRoute } from '@rampart/http';
import { LogCapture } from '@rampart/mocks';
import { createHttpThrottle } from '@rampart/throttler';
import { createVault, exportKeyring, Keyring, LocalKekProvider } from '@rampart/vault';

const plant = (label: string): string => `${label}-${randomBytes(12).toString('hex')}`;

/** Every way a value is commonly turned into text. */
function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: 20, showHidden: true, getters: true }), String(value)];
  try {
    out.push(JSON.stringify(value) ?? '');
  } catch (error) {
    out.push(String(error));
  }
  return out;
}

function expectNoLeak(secret: string, ...values: unknown[]): void {
  for (const value of values) {
    for (const text of typeof value === 'string' ? [value] : renderings(value)) {
      expect(text.includes(secret), `secret found in: ${text.slice(0, 300)}`).toBe(false);
    }
  }
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const servers: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('secret leakage across packages', () => {
  it('a config secret loaded by a core app never reaches logs, config output, provenance or inspect', async () => {
    const secret = plant('db-password');
    const logs = new LogCapture();
    const schema = defineSchema({ host: t.string().default('localhost'), password: t.string().secret() });
    const db = defineModule({
      name: 'db',
      version: '1.0.0',
      coreVersion: '0.1.0',
      config: schema,
      start: (ctx) => {
        ctx.logger.info({ config: ctx.config }, 'db module configured');
        ctx.logger.warn(`connecting with ${String((ctx.config as { password: unknown }).password)}`);
      },
    });
    const app = createApp({ modules: [db], logger: logs.logger, config: { feeders: [objectFeeder({ db: { password: secret } })] } });
    await app.start();
    const config = app.config;
    expect(config).toBeDefined();
    expect(logs.lines.length).toBeGreaterThan(0);
    expectNoLeak(secret, logs.text, config, config?.toJSON(), config?.provenance(), config?.explain('db.password'), app.inspect(), app);
    await app.stop();
    expectNoLeak(secret, logs.text);
  });

  it('a secret that fails validation is named in the error without its value', async () => {
    const secret = plant('short');
    const schema = defineSchema({ apiToken: t.string().secret().validate((v) => v.length > 200, 'token too short') });
    const error = await loadConfig(schema, { feeders: [objectFeeder({ apiToken: secret })] }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('CONFIG_ERR_VALIDATION');
    expectNoLeak(secret, error, (error as Error).message, (error as Error).stack);
  });

  it('core errors carrying a config secret in their details redact it in JSON, inspect and cause chains', async () => {
    const secret = plant('details');
    const config = await loadConfig(defineSchema({ key: t.string().secret() }), { feeders: [objectFeeder({ key: secret })] });
    const inner = new RampartError('APP_ERR_INNER', 'inner failure', { category: 'config', details: { key: config.value.key } });
    const error = new RampartError('APP_ERR_OUTER', 'refused', { category: 'security', details: { key: config.value.key }, cause: inner });
    expect(config.value.key.reveal()).toBe(secret);
    expectNoLeak(secret, error, error.toJSON(), error.stack, inner);
  });

  it('vault key material never appears in errors, inspect, JSON or the sealed keyring export', async () => {
    const material = randomBytes(32);
    const kekKey = randomBytes(32);
    const keyring = Keyring.fromKeys([{ version: 1, key: material }]);
    const vault = createVault({ keyring });
    const token = vault.encrypt('payload');
    const kek = LocalKekProvider.fromSecrets([{ version: 1, secret: { reveal: () => kekKey } }]);
    const document = await exportKeyring(keyring, kek);
    const error = caught(() => createVault().decrypt(token));
    const tampered = caught(() => vault.decrypt(`${token.slice(0, -2)}AA`));
    for (const key of [material, kekKey]) {
      for (const form of [key.toString('hex'), key.toString('base64'), key.toString('base64url')]) {
        expectNoLeak(form, keyring, keyring.versions(), vault, kek, document, error, tampered);
      }
    }
  });

  it('an API key used as a rate-limit key never appears in decisions, headers, problem bodies or events', async () => {
    const apiKey = plant('api-key');
    const throttle = createHttpThrottle({ key: { by: 'api-key' }, policies: [{ name: 'default', algorithm: 'fixed-window', limit: 1, windowMs: 60_000 }] });
    const events: unknown[] = [];
    throttle.on('decision', (d) => events.push(d));
    const req = { ip: '203.0.113.9', headers: { 'x-api-key': apiKey }, method: 'GET', route: '/things' };
    const first = await throttle.check(req);
    const second = await throttle.check(req);
    expect([first.allowed, second.allowed]).toEqual([true, false]);
    expectNoLeak(apiKey, first, second, events);
    await throttle.close();
  });

  it('an HTTP 500 in production hides the message and never echoes an Authorization header into logs or the body', async () => {
    const bearer = plant('bearer');
    const internal = plant('internal-detail');
    const logs = new LogCapture();
    const routes = defineController({
      path: '/boom',
      routes: [defineRoute({ method: 'GET', handler: () => { throw new Error(`db said ${internal}`); } })],
    });
    const server = createHttpServer({ controllers: [routes], production: true, logger: logs.logger });
    servers.push(server);
    const res = await server.app.inject({ method: 'GET', url: '/boom', headers: { authorization: `Bearer ${bearer}` } });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expectNoLeak(internal, res.body);
    expectNoLeak(bearer, res.body, logs.text, res.headers);
  });
});
