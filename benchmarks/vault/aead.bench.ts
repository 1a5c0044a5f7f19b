/**
 * Vault AEAD throughput beside raw node:crypto AES-256-GCM in the same run.
 * The peer is what a careful hand-rolled implementation does: random 96-bit
 * IV, encrypt, return iv || ciphertext || tag (and the reverse). The vault
 * adds a 6-byte versioned header, header-as-AAD, key-state and nonce-bound
 * checks; the ratio shows what that costs per size.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { defineBenchSuite, type BenchTask } from '@rampart/harness';
import { Keyring, Vault } from '@rampart/vault';

const key = randomBytes(32);
const sizes: [string, number][] = [
  ['64B', 64],
  ['1KiB', 1024],
  ['64KiB', 64 * 1024],
  ['1MiB', 1024 * 1024],
];

function rawEncrypt(plaintext: Uint8Array): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = cipher.update(plaintext);
  cipher.final();
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function rawDecrypt(sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  const body = decipher.update(sealed.subarray(12, sealed.length - 16));
  decipher.final();
  return body;
}

// Same key material as the peer, so both sides run the same AES key schedule.
const vault = new Vault({ keyring: Keyring.fromKeys([{ version: 1, key }]) });
const rewrapVault = new Vault({ keyring: Keyring.fromKeys([{ version: 1, key }]) });
const context = { table: 'users', column: 'ssn', row: 42 };

const tasks: BenchTask[] = sizes.flatMap(([label, size]): BenchTask[] => {
  const plaintext = randomBytes(size);
  const sealed = vault.encryptBytes(plaintext);
  const rawSealed = rawEncrypt(plaintext);
  return [
    { name: `vault/encrypt/${label}`, fn: () => vault.encryptBytes(plaintext), peers: { 'node:crypto aes-256-gcm': () => rawEncrypt(plaintext) } },
    { name: `vault/decrypt/${label}`, fn: () => vault.decrypt(sealed), peers: { 'node:crypto aes-256-gcm': () => rawDecrypt(rawSealed) } },
  ];
});

// Rewrap: a v1 ciphertext re-encrypted under v2 (decrypt + encrypt, plaintext never leaves the vault).
const kib = randomBytes(1024);
const underV1 = rewrapVault.encryptBytes(kib, { context });
rewrapVault.keyring.rotate();
const rawV1 = rawEncrypt(kib);
tasks.push(
  { name: 'vault/encrypt-with-context/1KiB', fn: () => vault.encryptBytes(kib, { context }), peers: { 'node:crypto aes-256-gcm': () => rawEncrypt(kib) } },
  { name: 'vault/rewrap/1KiB', fn: () => rewrapVault.rewrap(underV1, { context }), peers: { 'node:crypto decrypt+encrypt': () => rawEncrypt(rawDecrypt(rawV1)) } },
);

export default defineBenchSuite({ package: 'vault', tasks });
