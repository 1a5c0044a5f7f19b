/**
 * A secret read from the store. Its value is only reachable through
 * `reveal()`; printing, logging or serialising the entry shows metadata only.
 */
import { toUtf8 } from './plaintext.ts';
import { INSPECT, REDACTED } from './redact.ts';

/**
 * @example
 * const entry = await store.get('payments', 'stripe-key');
 * stripe.setApiKey(entry?.reveal() ?? '');
 * console.log(entry); // SecretEntry { namespace: 'payments', name: 'stripe-key', version: 3, value: [redacted] }
 */
export class SecretEntry {
  readonly namespace: string;
  readonly name: string;
  readonly version: number;
  readonly createdAt: number;
  readonly #value: Uint8Array;

  constructor(namespace: string, name: string, version: number, createdAt: number, value: Uint8Array) {
    this.namespace = namespace;
    this.name = name;
    this.version = version;
    this.createdAt = createdAt;
    this.#value = value;
  }

  /** The value as UTF-8 text. */
  reveal(): string {
    return toUtf8(this.#value);
  }

  /** A copy of the value bytes (wipe it when done). */
  revealBytes(): Uint8Array {
    return new Uint8Array(this.#value);
  }

  /** Zeroes this entry's copy of the value. */
  wipe(): void {
    this.#value.fill(0);
  }

  toJSON(): { namespace: string; name: string; version: number; createdAt: number; value: string } {
    return { namespace: this.namespace, name: this.name, version: this.version, createdAt: this.createdAt, value: REDACTED };
  }

  [INSPECT](): string {
    return `SecretEntry { namespace: '${this.namespace}', name: '${this.name}', version: ${this.version}, value: ${REDACTED} }`;
  }
}
