/**
 * Notes are stored encrypted (AES-256-GCM through @rampart/vault); the id is
 * bound into the ciphertext as encryption context, so a stored note cannot be
 * swapped under another id without decryption failing.
 */
import { randomUUID } from 'node:crypto';
import type { Vault } from '@rampart/vault';

export class NotesStore {
  // A Map, not an object: keys are derived from client-visible ids.
  readonly #rows = new Map<string, string>();
  readonly #vault: Vault;

  constructor(vault: Vault) {
    this.#vault = vault;
  }

  /** Encrypts and stores `text`; returns the new note's id. */
  add(text: string): string {
    const id = randomUUID();
    this.#rows.set(id, this.#vault.encrypt(text, { context: { note: id } }));
    return id;
  }

  /** The decrypted text, or `undefined` for an unknown id. */
  read(id: string): string | undefined {
    const sealed = this.#rows.get(id);
    return sealed === undefined ? undefined : this.#vault.decryptString(sealed, { context: { note: id } });
  }

  /** What is really at rest (for the demo and the test): ciphertext only. */
  stored(id: string): string | undefined {
    return this.#rows.get(id);
  }
}
