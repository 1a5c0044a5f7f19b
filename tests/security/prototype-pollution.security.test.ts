/**
 * Cross-cutting prototype pollution: `__proto__`, `constructor.prototype` and
 * `prototype` payloads through every public function that merges or parses
 * external objects (config feeders, the HTTP JSON body parser, the vault's
 * keyring document import, throttler request headers). Each attempt must be
 * refused or neutralised, and no object anywhere may gain a property.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defineSchema, dotenvFeeder, jsonFeeder, loadConfig, objectFeeder, t, yamlFeeder } from '@rampart/config';
import { jsonFixture } from '@rampart/fixtures';
import { createHttpServer, defineController, defineRoute } from '@rampart/http';
import { createHttpThrottle } from '@rampart/throttler';
import { createVault, exportKeyring, importKeyring, Keyring, KeyringKekProvider } from '@rampart/vault';

const payloads = jsonFixture<object[]>('payloads/prototype-pollution.json');
const rawPayloads = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"a":{"__proto__":{"polluted":"yes"}}}',
  '{"nested":[{"__proto__":{"polluted":"yes"}}]}',
];

function expectClean(): void {
  const probe: Record<string, unknown> = {};
  expect(probe.polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
}

const dir = mkdtempSync(join(tmpdir(), 'rampart-pollution-'));
const schema = defineSchema({ a: t.object({ b: t.string().optional() }), name: t.string().default('x') });

afterEach(() => {
  // belt and braces: a failing attempt must not leak into the next test
  delete (Object.prototype as Record<string, unknown>).polluted;
});

describe('prototype pollution through every parser and merger', () => {
  it('the fixture holds the four classic payloads', () => {
    expect(payloads).toHaveLength(4);
    expect(rawPayloads.map((p) => JSON.parse(p) as unknown)).toHaveLength(4);
  });

  it.each(rawPayloads)('config JSON file feeder refuses %s', async (raw) => {
    const file = join(dir, `p${rawPayloads.indexOf(raw)}.json`);
    writeFileSync(file, raw);
    const error = await loadConfig(schema, { feeders: [jsonFeeder(file)] }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('CONFIG_ERR_UNSAFE_KEY');
    expectClean();
  });

  it.each(['__proto__:\n  polluted: yes\n', 'constructor:\n  prototype:\n    polluted: yes\n', 'a:\n  __proto__:\n    polluted: yes\n'])(
    'config YAML file feeder refuses %j',
    async (yaml) => {
      const file = join(dir, `y${yaml.length}.yaml`);
      writeFileSync(file, yaml);
      const error = await loadConfig(schema, { feeders: [yamlFeeder(file)] }).catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe('CONFIG_ERR_UNSAFE_KEY');
      expectClean();
    },
  );

  it('config object feeder refuses every payload, including own __proto__ keys from JSON.parse', async () => {
    for (const raw of rawPayloads) {
      const error = await loadConfig(schema, { feeders: [objectFeeder(JSON.parse(raw) as object)] }).catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe('CONFIG_ERR_UNSAFE_KEY');
    }
    expectClean();
  });

  it('config .env feeder and env names cannot address prototypes', async () => {
    const file = join(dir, 'p.env');
    writeFileSync(file, '__PROTO____POLLUTED=yes\nCONSTRUCTOR__PROTOTYPE__POLLUTED=yes\nNAME=ok\n');
    const config = await loadConfig(schema, { feeders: [dotenvFeeder(file)] });
    expect(config.value.name).toBe('ok');
    expectClean();
  });

  it('the HTTP JSON body parser refuses __proto__ and constructor.prototype bodies with a problem document', async () => {
    const seen: unknown[] = [];
    const server = createHttpServer({
      controllers: [defineController({ path: '/echo', routes: [defineRoute({ method: 'POST', handler: (ctx) => (seen.push(ctx.body), { ok: true }) })] })],
    });
    try {
      for (const raw of rawPayloads) {
        const res = await server.app.inject({ method: 'POST', url: '/echo', payload: raw, headers: { 'content-type': 'application/json' } });
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect((JSON.parse(res.body) as { code: string }).code).toBe('HTTP_ERR_PROTO_POISONING');
      }
      expect(seen).toEqual([]);
    } finally {
      await server.close();
    }
    expectClean();
  });

  it('the vault keyring import neutralises pollution payloads: refused with a vault code, or ignored as unknown fields', async () => {
    const kek = new KeyringKekProvider(Keyring.generate());
    const keyring = Keyring.generate();
    createVault({ keyring }).encrypt('x');
    const document = JSON.parse(JSON.stringify(await exportKeyring(keyring, kek))) as Record<string, unknown>;
    for (const raw of rawPayloads) {
      const poisoned = { ...document, ...(JSON.parse(raw) as object) };
      const outcome = await importKeyring(poisoned, kek).catch((e: unknown) => e);
      if (outcome instanceof Keyring) {
        expect(outcome.primaryVersion).toBe(keyring.primaryVersion);
        expect(Object.getPrototypeOf(outcome)).toBe(Keyring.prototype);
      } else {
        expect((outcome as { code?: string }).code).toMatch(/^VAULT_ERR_/);
      }
    }
    // a payload replacing a real field is refused
    const error = await importKeyring({ ...document, ...(JSON.parse('{"sealed":{"__proto__":{"polluted":"yes"}}}') as object) }, kek).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toMatch(/^VAULT_ERR_/);
    expectClean();
  });

  it('throttler header parsing treats __proto__ header names and values as data', async () => {
    const throttle = createHttpThrottle({ key: { by: ['ip', 'api-key'] }, policies: [{ limit: 1, windowMs: 60_000 }] });
    const headers = JSON.parse('{"__proto__":{"x-api-key":"forged"},"x-forwarded-for":"1.2.3.4","constructor":"x"}') as Record<string, string>;
    const first = await throttle.check({ ip: '203.0.113.7', headers, method: 'GET', route: '/r' });
    const second = await throttle.check({ ip: '203.0.113.7', headers: {}, method: 'GET', route: '/r' });
    expect(first.allowed).toBe(true);
    // the forged key from the prototype payload was not used: both requests share the IP-only key
    expect(second.allowed).toBe(false);
    await throttle.close();
    expectClean();
  });
});
