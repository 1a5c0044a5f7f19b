/**
 * Model-based test of the keyring: random sequences of lifecycle operations
 * and encryptions run against a real Vault and a tiny model; after every step
 * every ciphertext ever produced must decrypt exactly when the model says its
 * version is usable, and fail with the model's predicted code otherwise.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyState } from './key-version.ts';
import { Vault } from './vault.ts';
import { codeOf } from './test-support/helpers.ts';

interface Model {
  states: Map<number, KeyState>;
  primary: number;
  min: number;
  items: { token: string; version: number; plaintext: string }[];
}

type Real = Vault;
type Cmd = fc.Command<Model, Real>;

function expectedDecrypt(m: Model, version: number): string {
  const state = m.states.get(version);
  if (state === 'destroyed') return 'VAULT_ERR_KEY_DESTROYED';
  if (state === 'disabled') return 'VAULT_ERR_KEY_DISABLED';
  if (version < m.min) return 'VAULT_ERR_KEY_VERSION_RETIRED';
  return 'no error';
}

/** The law, checked after every command. */
function checkAll(m: Model, r: Real): void {
  for (const item of m.items) {
    const expected = expectedDecrypt(m, item.version);
    if (expected === 'no error') expect(r.decryptString(item.token)).toBe(item.plaintext);
    else expect(codeOf(() => r.decrypt(item.token))).toBe(expected);
  }
  expect(r.keyring.primaryVersion).toBe(m.primary);
  expect(r.keyring.versions().map((v) => v.state)).toEqual([...m.states.values()]);
}

/** Runs `op` on the real keyring and checks it fails exactly when the model predicts `code`. */
function step(m: Model, r: Real, predicted: string | undefined, op: () => void, apply: () => void): void {
  const got = codeOf(op);
  expect(got).toBe(predicted ?? 'no error');
  if (predicted === undefined) apply();
  checkAll(m, r);
}

const known = (m: Model, v: number): boolean => m.states.has(v);

class Rotate implements Cmd {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const next = m.states.size + 1;
    step(m, r, undefined, () => r.keyring.rotate(), () => {
      m.states.set(m.primary, 'decrypt-only');
      m.states.set(next, 'active');
      m.primary = next;
    });
  }
  toString = (): string => 'rotate()';
}

class Encrypt implements Cmd {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    m.items.push({ token: r.encrypt(this.text), version: m.primary, plaintext: this.text });
    checkAll(m, r);
  }
  toString = (): string => `encrypt(${JSON.stringify(this.text)})`;
}

class Rewrap implements Cmd {
  readonly index: number;
  constructor(index: number) {
    this.index = index;
  }
  check = (m: Model): boolean => m.items.length > 0;
  run(m: Model, r: Real): void {
    const item = m.items[this.index % m.items.length] as Model['items'][number];
    const expected = expectedDecrypt(m, item.version);
    step(m, r, expected === 'no error' ? undefined : expected, () => {
      m.items.push({ token: r.rewrap(item.token), version: m.primary, plaintext: item.plaintext });
    }, () => undefined);
  }
  toString = (): string => `rewrap(#${this.index})`;
}

class Lifecycle implements Cmd {
  readonly op: 'setPrimary' | 'disable' | 'enable' | 'destroy' | 'setMin';
  readonly version: number;
  constructor(op: Lifecycle['op'], version: number) {
    this.op = op;
    this.version = version;
  }
  check = (): boolean => true;
  #predict(m: Model): string | undefined {
    const v = this.version;
    const state = m.states.get(v);
    if (this.op === 'setMin') return v > m.primary ? 'VAULT_ERR_KEY_STATE' : undefined;
    if (!known(m, v)) return 'VAULT_ERR_UNKNOWN_KEY_VERSION';
    if (this.op === 'setPrimary') return state === 'active' || (state === 'decrypt-only' && v >= m.min) ? undefined : 'VAULT_ERR_KEY_STATE';
    if (this.op === 'enable') return state === 'disabled' ? undefined : 'VAULT_ERR_KEY_STATE';
    if (v === m.primary) return 'VAULT_ERR_KEY_STATE';
    return this.op === 'disable' && state === 'destroyed' ? 'VAULT_ERR_KEY_STATE' : undefined;
  }
  #apply(m: Model): void {
    const v = this.version;
    if (this.op === 'setMin') m.min = v;
    else if (this.op === 'setPrimary') {
      m.states.set(m.primary, 'decrypt-only');
      m.states.set(v, 'active');
      m.primary = v;
    } else if (this.op === 'enable') m.states.set(v, 'decrypt-only');
    else m.states.set(v, this.op === 'disable' ? 'disabled' : 'destroyed');
  }
  run(m: Model, r: Real): void {
    const ring = r.keyring;
    const op = this.op === 'setMin' ? () => ring.setMinDecryptionVersion(this.version) : () => ring[this.op as 'disable'](this.version);
    step(m, r, this.#predict(m), op, () => this.#apply(m));
  }
  toString = (): string => `${this.op}(${this.version})`;
}

const version = fc.integer({ min: 1, max: 6 });
const commands = [
  fc.constant(new Rotate()),
  fc.string({ maxLength: 6 }).map((t) => new Encrypt(t)),
  fc.nat().map((i) => new Rewrap(i)),
  fc.tuple(fc.constantFrom<Lifecycle['op']>('setPrimary', 'disable', 'enable', 'destroy', 'setMin'), version).map(
    ([op, v]) => new Lifecycle(op, v),
  ),
];

describe('keyring model', () => {
  it('no operation sequence makes a usable version undecryptable, and destroyed versions never decrypt', () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 40 }), (cmds) => {
        const setup = (): { model: Model; real: Real } => ({
          model: { states: new Map([[1, 'active']]), primary: 1, min: 1, items: [] },
          real: new Vault(),
        });
        fc.modelRun(setup, cmds);
      }),
      { numRuns: 120 },
    );
  });
});
