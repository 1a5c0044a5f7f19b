/**
 * L2 contract of @rampart/vault: the public runtime exports not pinned
 * elsewhere. The error table (`VAULT_ERRORS`, `VaultError`), `SecretEntry`
 * (metadata, reveal, wipe, and redaction in JSON and util.inspect),
 * `canonicalContext` (order-independent, integer-normalising, collision-free,
 * refusing what is not a flat record), `constantTimeEqual`, and the
 * `keyringChannel` diagnostics channel of lifecycle events.
 * Imports only the public entry.
 * Locked: these tests are never modified, only added to.
 */
import { channel, subscribe, unsubscribe } from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  Keyring,
  SecretEntry,
  SecretStore,
  VAULT_ERRORS,
  Vault,
  VaultError,
  canonicalContext,
  constantTimeEqual,
  isVaultError,
  keyringChannel,
  type VaultErrorCode,
} from '@rampart/vault';

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('@rampart/vault L2: VAULT_ERRORS', () => {
  const documented: readonly (readonly [VaultErrorCode, string])[] = [
    ['VAULT_ERR_TAMPERED', 'security'],
    ['VAULT_ERR_MALFORMED_CIPHERTEXT', 'validation'],
    ['VAULT_ERR_NONCE_BOUND_REACHED', 'security'],
    ['VAULT_ERR_INVALID_CONTEXT', 'validation'],
    ['VAULT_ERR_INVALID_KEY', 'config'],
    ['VAULT_ERR_KEY_STATE', 'lifecycle'],
    ['VAULT_ERR_KEK_FAILED', 'dependency'],
    ['VAULT_ERR_STORAGE', 'dependency'],
  ];

  it.each(documented)('%s is a documented code with category %s and a default message', (code, category) => {
    expect(VAULT_ERRORS[code].category).toBe(category);
    expect(typeof VAULT_ERRORS[code].message).toBe('string');
    expect(VAULT_ERRORS[code].message.length).toBeGreaterThan(0);
  });

  it('holds only VAULT_ERR_ codes', () => {
    expect(Object.keys(VAULT_ERRORS).filter((code) => !code.startsWith('VAULT_ERR_'))).toEqual([]);
  });
});

describe('@rampart/vault L2: VaultError', () => {
  it('carries the code, the category of the table, status 500 and the default message', () => {
    const error = new VaultError('VAULT_ERR_KEY_STATE');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(VaultError);
    expect(error.code).toBe('VAULT_ERR_KEY_STATE');
    expect(error.category).toBe('lifecycle');
    expect(error.status).toBe(500);
    expect(error.message).toBe(VAULT_ERRORS.VAULT_ERR_KEY_STATE.message);
    expect(isVaultError(error)).toBe(true);
    expect(isVaultError(error, 'VAULT_ERR_KEY_STATE')).toBe(true);
    expect(isVaultError(error, 'VAULT_ERR_TAMPERED')).toBe(false);
  });

  it('adds a detail to the message and keeps a cause, as a KMS adapter throws it', () => {
    const cause = new Error('InvalidCiphertextException');
    const error = new VaultError('VAULT_ERR_TAMPERED', undefined, { cause });
    expect(error.code).toBe('VAULT_ERR_TAMPERED');
    expect(error.category).toBe('security');
    expect(error.cause).toBe(cause);
    expect(new VaultError('VAULT_ERR_KEY_STATE', 'version 3 is destroyed').message).toContain('version 3 is destroyed');
  });

  it('serialises to plain data for structured logs', () => {
    const error = new VaultError('VAULT_ERR_STORAGE', 'disk full');
    expect(JSON.parse(JSON.stringify(error))).toEqual({ name: error.name, code: 'VAULT_ERR_STORAGE', category: 'dependency', status: 500, message: error.message });
  });

  it('is the class of the errors the vault throws, whose messages never quote plaintext or ciphertext', () => {
    const vault = new Vault();
    const token = vault.encrypt('123-45-6789', { context: { row: 1 } });
    const tampered = caught(() => vault.decrypt(token, { context: { row: 2 } }));
    expect(tampered).toBeInstanceOf(VaultError);
    expect((tampered as VaultError).code).toBe('VAULT_ERR_TAMPERED');
    for (const text of [(tampered as VaultError).message, JSON.stringify(tampered), inspect(tampered)]) {
      expect(text).not.toContain('123-45-6789');
      expect(text).not.toContain(token);
    }
    const malformed = caught(() => vault.decrypt('!!not-base64url!!'));
    expect(malformed).toBeInstanceOf(VaultError);
    expect((malformed as VaultError).code).toBe('VAULT_ERR_MALFORMED_CIPHERTEXT');
  });
});

describe('@rampart/vault L2: SecretEntry', () => {
  it('SecretStore.get returns a SecretEntry with its metadata and value', async () => {
    let now = 1_700_000_000_000;
    const store = new SecretStore({ clock: { now: () => now } });
    await store.put('payments', 'stripe-key', 'sk_live_1');
    now += 1000;
    await store.put('payments', 'stripe-key', 'sk_live_2');
    const entry = await store.get('payments', 'stripe-key');
    expect(entry).toBeInstanceOf(SecretEntry);
    expect([entry?.namespace, entry?.name, entry?.version, entry?.createdAt]).toEqual(['payments', 'stripe-key', 2, 1_700_000_001_000]);
    expect(entry?.reveal()).toBe('sk_live_2');
    const first = await store.get('payments', 'stripe-key', { version: 1 });
    expect([first?.version, first?.createdAt, first?.reveal()]).toEqual([1, 1_700_000_000_000, 'sk_live_1']);
  });

  it('reveal() decodes UTF-8; revealBytes() returns a copy; wipe() zeroes the value', () => {
    const bytes = new TextEncoder().encode('pässwörd');
    const entry = new SecretEntry('db', 'password', 3, 42, bytes.slice());
    expect(entry.reveal()).toBe('pässwörd');
    const copy = entry.revealBytes();
    expect([...copy]).toEqual([...bytes]);
    copy.fill(0);
    expect(entry.reveal()).toBe('pässwörd');
    entry.wipe();
    expect([...entry.revealBytes()]).toEqual(new Array<number>(bytes.length).fill(0));
  });

  it('JSON.stringify and util.inspect show metadata and [redacted], never the value', async () => {
    const store = new SecretStore({ clock: { now: () => 5 } });
    await store.put('hooks', 'github', 'whsec_topsecret');
    const entry = (await store.get('hooks', 'github')) as SecretEntry;
    expect(JSON.parse(JSON.stringify(entry))).toEqual({ namespace: 'hooks', name: 'github', version: 1, createdAt: 5, value: '[redacted]' });
    const inspected = inspect(entry, { depth: 10 });
    expect(inspected).toContain('[redacted]');
    expect(inspected).toContain('github');
    for (const text of [inspected, JSON.stringify(entry), JSON.stringify({ entry }), inspect({ nested: [entry] }, { depth: 10 })]) {
      expect(text).not.toContain('whsec_topsecret');
    }
    expect(entry.reveal()).toBe('whsec_topsecret');
  });
});

describe('@rampart/vault L2: canonicalContext', () => {
  it('gives the same bytes whatever the key order, and for 42, "42" and 42n', () => {
    const a = canonicalContext({ table: 'users', column: 'ssn', row: 42 });
    expect(a).toBeInstanceOf(Uint8Array);
    expect(hex(canonicalContext({ row: '42', column: 'ssn', table: 'users' }))).toBe(hex(a));
    expect(hex(canonicalContext({ column: 'ssn', row: 42n, table: 'users' }))).toBe(hex(a));
    expect(hex(canonicalContext({ table: 'users', column: 'ssn', row: 42 }))).toBe(hex(a));
  });

  it('gives different bytes for different contexts, field boundaries included', () => {
    const forms = [
      canonicalContext(undefined),
      canonicalContext({}),
      canonicalContext(new Uint8Array(0)),
      canonicalContext({ ab: 'c' }),
      canonicalContext({ a: 'bc' }),
      canonicalContext({ a: 'b', c: '' }),
      canonicalContext({ row: 42 }),
      canonicalContext({ row: 43 }),
      canonicalContext(canonicalContext({ row: 42 })),
    ];
    expect(new Set(forms.map(hex)).size).toBe(forms.length);
  });

  it('never collides a raw Uint8Array with a record, and a vault binds either form', () => {
    const record = { table: 'users', row: 7 };
    const raw = canonicalContext(record);
    expect(hex(canonicalContext(raw))).not.toBe(hex(raw));
    const vault = new Vault();
    const token = vault.encrypt('x', { context: raw });
    expect(vault.decryptString(token, { context: Uint8Array.from(raw) })).toBe('x');
    expect((caught(() => vault.decrypt(token, { context: record })) as VaultError).code).toBe('VAULT_ERR_TAMPERED');
  });

  const invalid: readonly (readonly [string, unknown])[] = [
    ['a lone surrogate value', { name: 'a\uD800b' }],
    ['a lone surrogate key', { ['k\uDC00']: 'v' }],
    ['a fractional number', { row: 1.5 }],
    ['an unsafe integer', { row: 2 ** 53 }],
    ['a nested object', { where: { row: 1 } }],
    ['a boolean value', { flag: true }],
    ['an array', ['users', 42]],
    ['a Date', new Date(0)],
    ['a string', 'users:42'],
  ];

  it.each(invalid)('refuses %s with VAULT_ERR_INVALID_CONTEXT', (_label, context) => {
    const error = caught(() => canonicalContext(context as never));
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).code).toBe('VAULT_ERR_INVALID_CONTEXT');
    expect((error as VaultError).category).toBe('validation');
  });
});

describe('@rampart/vault L2: constantTimeEqual', () => {
  const cases: readonly (readonly [string, Uint8Array, Uint8Array, boolean])[] = [
    ['equal bytes', Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3), true],
    ['a Buffer and an equal Uint8Array', Buffer.from('whsec_1'), new TextEncoder().encode('whsec_1'), true],
    ['two empty inputs', new Uint8Array(0), new Uint8Array(0), true],
    ['one differing byte', Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4), false],
    ['a prefix', Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3), false],
    ['empty against non-empty', new Uint8Array(0), Uint8Array.of(0), false],
  ];

  it.each(cases)('compares %s', (_label, a, b, expected) => {
    expect(constantTimeEqual(a, b)).toBe(expected);
    expect(constantTimeEqual(b, a)).toBe(expected);
  });
});

describe('@rampart/vault L2: keyringChannel', () => {
  it('is the rampart:vault.keyring diagnostics channel', () => {
    expect(keyringChannel.name).toBe('rampart:vault.keyring');
    expect(channel('rampart:vault.keyring')).toBe(keyringChannel);
  });

  it('publishes { op, keyringId, version } for each lifecycle operation, without material', () => {
    const events: Record<string, unknown>[] = [];
    const listener = (message: unknown): void => {
      if ((message as { keyringId?: unknown }).keyringId === 'contract-audit') events.push(message as Record<string, unknown>);
    };
    subscribe('rampart:vault.keyring', listener);
    try {
      const keyring = Keyring.generate({ id: 'contract-audit' });
      expect(keyring.rotate()).toBe(2);
      keyring.disable(1);
      keyring.enable(1);
      keyring.destroy(1);
    } finally {
      unsubscribe('rampart:vault.keyring', listener);
    }
    expect(events.map((e) => Object.keys(e).sort())).toEqual(new Array(4).fill(['keyringId', 'op', 'version']));
    expect(events.map((e) => [e.keyringId, e.version])).toEqual([
      ['contract-audit', 2],
      ['contract-audit', 1],
      ['contract-audit', 1],
      ['contract-audit', 1],
    ]);
    const ops = events.map((e) => e.op);
    expect(ops.every((op) => typeof op === 'string' && op.length > 0)).toBe(true);
    expect(new Set(ops).size).toBe(4);
  });

  it('names each operation as the README lists it, with the version acted on', () => {
    const events: unknown[] = [];
    const listener = (message: unknown): void => {
      if ((message as { keyringId?: unknown }).keyringId === 'contract-ops') events.push(message);
    };
    subscribe('rampart:vault.keyring', listener);
    try {
      const keyring = Keyring.generate({ id: 'contract-ops' });
      keyring.rotate();
      keyring.setPrimary(1);
      keyring.setPrimary(2);
      keyring.disable(1);
      keyring.enable(1);
      keyring.setMinDecryptionVersion(2);
      keyring.destroy(1);
    } finally {
      unsubscribe('rampart:vault.keyring', listener);
    }
    expect(events).toEqual([
      { op: 'rotate', keyringId: 'contract-ops', version: 2 },
      { op: 'set-primary', keyringId: 'contract-ops', version: 1 },
      { op: 'set-primary', keyringId: 'contract-ops', version: 2 },
      { op: 'disable', keyringId: 'contract-ops', version: 1 },
      { op: 'enable', keyringId: 'contract-ops', version: 1 },
      { op: 'set-min-decryption-version', keyringId: 'contract-ops', version: 2 },
      { op: 'destroy', keyringId: 'contract-ops', version: 1 },
    ]);
  });
});
