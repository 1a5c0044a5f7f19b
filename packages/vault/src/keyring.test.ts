import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Keyring, keyringAccess } from './keyring.ts';
import { Vault } from './vault.ts';
import { codeOf, counterRandom, failureOf } from './test-support/helpers.ts';

const key = (seed: number): Uint8Array => counterRandom(seed)(32);

describe('Keyring lifecycle', () => {
  it('starts with version 1 active and primary', () => {
    const ring = Keyring.generate();
    expect(ring.primaryVersion).toBe(1);
    expect(ring.minDecryptionVersion).toBe(1);
    expect(ring.versions().map((v) => [v.version, v.state])).toEqual([[1, 'active']]);
    expect(ring.id).toBe('default');
  });

  it('rotate() adds a version, makes it primary and demotes the old primary to decrypt-only', () => {
    const ring = Keyring.generate();
    expect(ring.rotate()).toBe(2);
    expect(ring.rotate({ algorithm: 'xchacha20-poly1305' })).toBe(3);
    expect(ring.versions().map((v) => [v.version, v.state, v.algorithm])).toEqual([
      [1, 'decrypt-only', 'aes-256-gcm'],
      [2, 'decrypt-only', 'aes-256-gcm'],
      [3, 'active', 'xchacha20-poly1305'],
    ]);
  });

  it('setPrimary() rolls back to an older decrypt-only version and is a no-op on the primary', () => {
    const ring = Keyring.generate();
    ring.rotate();
    ring.setPrimary(1);
    ring.setPrimary(1);
    expect(ring.primaryVersion).toBe(1);
    expect(ring.versions().map((v) => v.state)).toEqual(['active', 'decrypt-only']);
  });

  it('setPrimary() refuses disabled, destroyed, retired and unknown versions', () => {
    const ring = Keyring.generate();
    ring.rotate();
    ring.rotate();
    ring.rotate();
    ring.disable(1);
    ring.destroy(2);
    ring.setMinDecryptionVersion(4);
    expect(codeOf(() => ring.setPrimary(1))).toBe('VAULT_ERR_KEY_STATE');
    expect(codeOf(() => ring.setPrimary(2))).toBe('VAULT_ERR_KEY_STATE');
    expect(codeOf(() => ring.setPrimary(3))).toBe('VAULT_ERR_KEY_STATE');
    expect(codeOf(() => ring.setPrimary(9))).toBe('VAULT_ERR_UNKNOWN_KEY_VERSION');
  });

  it('disable()/enable() block and restore decryption of a version', () => {
    const vault = new Vault();
    const old = vault.encrypt('x');
    vault.keyring.rotate();
    vault.keyring.disable(1);
    vault.keyring.disable(1);
    expect(codeOf(() => vault.decrypt(old))).toBe('VAULT_ERR_KEY_DISABLED');
    vault.keyring.enable(1);
    expect(vault.decryptString(old)).toBe('x');
    expect(codeOf(() => vault.keyring.enable(1))).toBe('VAULT_ERR_KEY_STATE');
  });

  it('refuses to disable or destroy the primary, and to disable a destroyed version', () => {
    const ring = Keyring.generate();
    expect(codeOf(() => ring.disable(1))).toBe('VAULT_ERR_KEY_STATE');
    expect(codeOf(() => ring.destroy(1))).toBe('VAULT_ERR_KEY_STATE');
    ring.rotate();
    ring.destroy(1);
    expect(codeOf(() => ring.disable(1))).toBe('VAULT_ERR_KEY_STATE');
    expect(codeOf(() => ring.enable(1))).toBe('VAULT_ERR_KEY_STATE');
  });

  it('destroy() makes old data permanently undecryptable, even after re-enabling attempts', () => {
    const vault = new Vault();
    const old = vault.encrypt('gone');
    vault.keyring.rotate();
    vault.keyring.disable(1);
    vault.keyring.destroy(1);
    vault.keyring.destroy(1);
    expect(codeOf(() => vault.decrypt(old))).toBe('VAULT_ERR_KEY_DESTROYED');
    expect(vault.keyring.versions()[0]?.state).toBe('destroyed');
  });

  it('minDecryptionVersion retires older versions and may not exceed the primary', () => {
    const vault = new Vault();
    const old = vault.encrypt('x');
    vault.keyring.rotate();
    vault.keyring.setMinDecryptionVersion(2);
    expect(vault.keyring.minDecryptionVersion).toBe(2);
    expect(codeOf(() => vault.decrypt(old))).toBe('VAULT_ERR_KEY_VERSION_RETIRED');
    expect(codeOf(() => vault.keyring.setMinDecryptionVersion(3))).toBe('VAULT_ERR_KEY_STATE');
    expect(codeOf(() => vault.keyring.setMinDecryptionVersion(0))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(codeOf(() => vault.keyring.setMinDecryptionVersion(1.5))).toBe('VAULT_ERR_INVALID_INPUT');
    vault.keyring.setMinDecryptionVersion(1);
    expect(vault.decryptString(old)).toBe('x');
  });

  it('reports an unknown version named by a ciphertext', () => {
    const a = new Vault();
    a.keyring.rotate();
    const token = a.encrypt('x');
    expect(codeOf(() => new Vault().decrypt(token))).toBe('VAULT_ERR_UNKNOWN_KEY_VERSION');
    expect(codeOf(() => a.keyring.disable(7))).toBe('VAULT_ERR_UNKNOWN_KEY_VERSION');
  });

  it('publishes lifecycle events without material on rampart:vault.keyring', () => {
    const events: unknown[] = [];
    const listener = (message: unknown): void => {
      events.push(message);
    };
    subscribe('rampart:vault.keyring', listener);
    try {
      const ring = Keyring.generate({ id: 'audit' });
      ring.rotate();
      ring.disable(1);
      ring.enable(1);
      ring.setPrimary(1);
      ring.destroy(2);
      ring.setMinDecryptionVersion(1);
    } finally {
      unsubscribe('rampart:vault.keyring', listener);
    }
    expect(events).toEqual([
      { op: 'rotate', keyringId: 'audit', version: 2 },
      { op: 'disable', keyringId: 'audit', version: 1 },
      { op: 'enable', keyringId: 'audit', version: 1 },
      { op: 'set-primary', keyringId: 'audit', version: 1 },
      { op: 'destroy', keyringId: 'audit', version: 2 },
      { op: 'set-min-decryption-version', keyringId: 'audit', version: 1 },
    ]);
  });

  it('rejects options that make no sense', () => {
    expect(codeOf(() => Keyring.generate({ maxEncryptionsPerKey: 0 }))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(codeOf(() => Keyring.generate({ maxEncryptionsPerKey: 1.5 }))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(codeOf(() => Keyring.generate({ algorithm: 'aes-128-cbc' as 'aes-256-gcm' }))).toBe('VAULT_ERR_INVALID_KEY');
    expect(codeOf(() => Keyring.generate({ randomBytes: () => new Uint8Array(16) }))).toBe('VAULT_ERR_INVALID_KEY');
  });

  it('inspects and serialises without material', () => {
    const ring = Keyring.generate({ id: 'k' });
    expect(inspect(ring)).toBe("Keyring { id: 'k', primaryVersion: 1, versions: 1, material: [redacted] }");
    expect(Object.keys(ring.toJSON())).toEqual(['id', 'primaryVersion', 'minDecryptionVersion', 'versions']);
  });
});

describe('Keyring.fromKeys', () => {
  it('picks the highest usable version as primary and keeps states and counters', () => {
    const ring = Keyring.fromKeys([
      { version: 1, key: key(1), encryptions: 5 },
      { version: 2, key: key(2) },
      { version: 3, key: key(3), state: 'disabled' },
      { version: 4, state: 'destroyed' },
    ]);
    expect(ring.primaryVersion).toBe(2);
    expect(ring.versions().map((v) => [v.version, v.state, v.encryptions])).toEqual([
      [1, 'decrypt-only', 5],
      [2, 'active', 0],
      [3, 'disabled', 0],
      [4, 'destroyed', 0],
    ]);
  });

  it('decrypts data of an imported key (same material, same keyring behaviour)', () => {
    const a = new Vault({ keyring: Keyring.fromKeys([{ version: 1, key: key(9) }]) });
    const b = new Vault({ keyring: Keyring.fromKeys([{ version: 1, key: key(9) }]) });
    expect(b.decryptString(a.encrypt('shared'))).toBe('shared');
  });

  it('rejects empty, duplicate, short, mis-versioned, mis-stated and mis-counted keys', () => {
    expect(codeOf(() => Keyring.fromKeys([]))).toBe('VAULT_ERR_INVALID_KEY');
    expect(codeOf(() => Keyring.fromKeys([{ version: 1, key: key(1) }, { version: 1, key: key(2) }]))).toBe('VAULT_ERR_INVALID_KEY');
    expect(codeOf(() => Keyring.fromKeys([{ version: 1, key: new Uint8Array(16) }]))).toBe('VAULT_ERR_INVALID_KEY');
    expect(codeOf(() => Keyring.fromKeys([{ version: 1 }]))).toBe('VAULT_ERR_INVALID_KEY');
    expect(codeOf(() => Keyring.fromKeys([{ version: 0, key: key(1) }]))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(codeOf(() => Keyring.fromKeys([{ version: 2 ** 32, key: key(1) }]))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(codeOf(() => Keyring.fromKeys([{ version: 1, key: key(1), encryptions: -1 }]))).toBe('VAULT_ERR_INVALID_INPUT');
    expect(codeOf(() => Keyring.fromKeys([{ version: 1, key: key(1), state: 'active' }, { version: 2, key: key(2) }]))).toBe('VAULT_ERR_KEY_STATE');
    expect(codeOf(() => Keyring.fromKeys([{ version: 1, state: 'destroyed' }]))).toBe('VAULT_ERR_KEY_STATE');
    expect(codeOf(() => Keyring.fromKeys([{ version: 1, key: key(1) }], { primary: 2 }))).toBe('VAULT_ERR_KEY_STATE');
  });

  // Any string was kept as the state: 'Disabled' (for 'disabled') still decrypted, and enable()/disable() misbehaved.
  it('refuses states outside the four documented ones with VAULT_ERR_INVALID_INPUT', () => {
    const states: [unknown, string][] = [['Disabled', '"Disabled"'], ['bogus', '"bogus"'], ['', '""'], [5, 'of type number'], [null, 'of type null'], [1n, 'of type bigint'], [{}, 'of type object']];
    for (const [state, shown] of states) {
      expect(failureOf(() => Keyring.fromKeys([{ version: 1, key: key(1) }, { version: 2, key: key(2), state: state as never }], { primary: 1 })), shown).toBe(
        `VAULT_ERR_INVALID_INPUT: key version 2 has state ${shown}; expected active, decrypt-only, disabled or destroyed`,
      );
    }
    const ring = Keyring.fromKeys([
      { version: 1, key: key(1), state: 'decrypt-only' },
      { version: 2, key: key(2), state: 'disabled' },
      { version: 3, state: 'destroyed' },
      { version: 4, key: key(4), state: 'active' },
    ]);
    expect(ring.versions().map((v) => v.state)).toEqual(['decrypt-only', 'disabled', 'destroyed', 'active']);
  });

  // An all-zero key was accepted and encrypted with; the same placeholder check as master keys now applies.
  it('refuses live material made of one repeated byte, and ignores the material of a destroyed version', () => {
    for (const fill of [0, 0xff]) {
      expect(failureOf(() => Keyring.fromKeys([{ version: 1, key: new Uint8Array(32).fill(fill) }]))).toBe(
        'VAULT_ERR_INVALID_KEY: key version 1 is one repeated byte: a placeholder, not a key',
      );
      expect(codeOf(() => Keyring.fromKeys([{ version: 1, key: key(1) }, { version: 2, key: new Uint8Array(32).fill(fill), state: 'disabled' }]))).toBe(
        'VAULT_ERR_INVALID_KEY',
      );
    }
    const ring = Keyring.fromKeys([{ version: 1, key: new Uint8Array(32), state: 'destroyed' }, { version: 2, key: key(2) }]);
    expect(ring.versions().map((v) => v.state)).toEqual(['destroyed', 'active']);
    const lastDiffers = new Uint8Array(32).fill(3).fill(4, 31);
    expect(Keyring.fromKeys([{ version: 1, key: lastDiffers }]).primaryVersion).toBe(1);
  });

  it('refuses a createdAt that is not a finite number, and keeps one that is', () => {
    for (const createdAt of ['yesterday', Number.NaN, Number.POSITIVE_INFINITY, null, 1n]) {
      expect(failureOf(() => Keyring.fromKeys([{ version: 1, key: key(1), createdAt: createdAt as never }])), String(createdAt)).toBe(
        'VAULT_ERR_INVALID_INPUT: key version 1 createdAt must be a finite number (milliseconds since the epoch)',
      );
    }
    expect(Keyring.fromKeys([{ version: 1, key: key(1), createdAt: -5.5 }]).versions()[0]?.createdAt).toBe(-5.5);
  });

  // A null entry or a missing array used to crash with a raw TypeError.
  it('refuses a key list that is not an array, and entries that are not objects, with typed errors', () => {
    for (const [i, keys] of [undefined, null, 'keys', { version: 1 }].entries()) {
      expect(failureOf(() => Keyring.fromKeys(keys as never)), `case ${i}`).toBe('VAULT_ERR_INVALID_INPUT: keys must be an array of { version, key } entries');
    }
    for (const entry of [null, undefined, 'k', 7]) {
      expect(failureOf(() => Keyring.fromKeys([{ version: 1, key: key(1) }, entry as never])), String(entry)).toBe(
        'VAULT_ERR_INVALID_INPUT: keys[1] must be an object { version, key }',
      );
    }
    expect(failureOf(() => Keyring.fromKeys([]))).toBe('VAULT_ERR_INVALID_KEY: a keyring needs at least one key');
  });

  it('refuses to rotate past version 2^32-1, and rotates onto it', () => {
    const ring = Keyring.fromKeys([{ version: 2 ** 32 - 2, key: key(1) }]);
    expect(ring.rotate()).toBe(2 ** 32 - 1);
    expect(codeOf(() => ring.rotate())).toBe('VAULT_ERR_KEY_STATE');
  });

  it('lists versions ascending whatever order they were given in', () => {
    const ring = Keyring.fromKeys([{ version: 3, key: key(3) }, { version: 1, key: key(1) }, { version: 2, key: key(2) }]);
    expect(ring.versions().map((v) => v.version)).toEqual([1, 2, 3]);
    expect(ring.primaryVersion).toBe(3);
  });

  it('decrypts and promotes at exactly minDecryptionVersion', () => {
    const vault = new Vault();
    vault.keyring.rotate();
    const atMin = vault.encrypt('at min');
    vault.keyring.rotate();
    vault.keyring.setMinDecryptionVersion(2);
    expect(vault.decryptString(atMin)).toBe('at min');
    vault.keyring.setPrimary(2);
    expect(vault.keyring.primaryVersion).toBe(2);
  });

  it('prints a key version without material', () => {
    const ring = Keyring.fromKeys([{ version: 4, key: key(1), createdAt: 5, encryptions: 6 }]);
    const [entry] = keyringAccess.entries(ring);
    expect(inspect(entry)).toBe("KeyVersion { version: 4, state: 'active', material: [redacted] }");
    expect(JSON.stringify(entry)).toBe('{"version":4,"algorithm":"aes-256-gcm","state":"active","createdAt":5,"encryptions":6}');
  });
});
