/**
 * Regression: SecretStore.put copies the value it is given and wiped the copy
 * only once the record was sealed (or its seal refused). When reading the
 * current record failed first (tampered, sealed under a disabled key, storage
 * down), the copy of the new secret stayed in memory. Seen by swapping the
 * global Uint8Array for a subclass that remembers every array made during put.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Keyring } from '../../src/keyring.ts';
import { SecretStore } from '../../src/secret-store.ts';
import { MemoryStorage } from '../../src/storage.ts';
import { codeOfAsync } from '../../src/test-support/helpers.ts';

const Real = globalThis.Uint8Array;
const made: Uint8Array[] = [];
class Watched extends Real {
  constructor(...args: unknown[]) {
    super(...(args as []));
    made.push(this);
  }
}

afterEach(() => {
  globalThis.Uint8Array = Real;
  made.length = 0;
});

/** Runs put with the global Uint8Array watched; returns its error code and how many arrays still hold the secret. */
async function putWatched(store: SecretStore, name: string): Promise<{ code: string; holding: number }> {
  const value = new Watched(Buffer.from('sk_live_SECRET'));
  made.length = 0;
  globalThis.Uint8Array = Watched;
  let code: string;
  try {
    code = await codeOfAsync(() => store.put('payments', name, value));
  } finally {
    globalThis.Uint8Array = Real;
  }
  const holding = made.filter((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).includes('sk_live_SECRET')).length;
  return { code, holding };
}

describe('SecretStore.put wipes its copy of the value on every failure', () => {
  it('when the current record cannot be opened', async () => {
    const storage = new MemoryStorage();
    await storage.put('payments/stripe', Real.of(1, 2, 3));
    expect(await putWatched(new SecretStore({ storage }), 'stripe')).toEqual({ code: 'VAULT_ERR_TAMPERED', holding: 0 });
  });

  it('when the current record is under a disabled key version', async () => {
    const keyring = Keyring.generate();
    const store = new SecretStore({ keyring });
    await store.put('payments', 'stripe', 'v1');
    keyring.rotate();
    keyring.disable(1);
    expect(await putWatched(store, 'stripe')).toEqual({ code: 'VAULT_ERR_KEY_DISABLED', holding: 0 });
  });

  it('when the name is refused', async () => {
    expect(await putWatched(new SecretStore(), '../etc')).toEqual({ code: 'VAULT_ERR_INVALID_SECRET_NAME', holding: 0 });
  });
});
