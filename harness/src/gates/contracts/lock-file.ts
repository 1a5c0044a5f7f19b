/**
 * `contracts/contracts.lock.json`: one entry per locked contract test. Written
 * sorted with a fixed layout so a diff shows exactly the tests that were added.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContractLevel, ContractTest } from './extract.ts';
import { sortKeys } from './extract.ts';

export const LOCK_PATH = 'contracts/contracts.lock.json';

export interface LockEntry {
  package: string;
  level: ContractLevel;
  file: string;
  hash: string;
  context: Record<string, string>;
}

/** What is locked per file: the hash of the code that runs while it is collected (ContractFile.collection). */
export interface FileEntry {
  collection: string;
}

export interface ContractLock {
  version: 1;
  tests: Record<string, LockEntry>;
  /** Per contract file with locked tests; absent in locks written before it existed. */
  files?: Record<string, FileEntry>;
}

const COMMENT = 'Written by `npm run contracts:lock`, which only ever adds entries. Never edit by hand: a locked contract test is a promise to users.';

/** Reads the lock; a missing file is an empty lock, a malformed one is an error. */
export function readLock(root: string): ContractLock {
  const path = join(root, LOCK_PATH);
  if (!existsSync(path)) return { version: 1, tests: {} };
  return parseLock(readFileSync(path, 'utf8'), LOCK_PATH);
}

/**
 * Parses lock text; `source` names it in the error (the working file, or the
 * lock at a base commit).
 * @example
 * parseLock(text, 'contracts/contracts.lock.json at origin/main');
 */
export function parseLock(text: string, source: string): ContractLock {
  const parsed = JSON.parse(text) as Partial<ContractLock>;
  if (parsed.version !== 1 || typeof parsed.tests !== 'object' || parsed.tests === null) {
    throw new Error(`${source}: unsupported lock format (expected version 1 with a "tests" object)`);
  }
  if (parsed.files === undefined) return { version: 1, tests: parsed.tests };
  const files: unknown = parsed.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files) || Object.values(files).some((entry) => typeof (entry as Partial<FileEntry> | null)?.collection !== 'string')) {
    throw new Error(`${source}: unsupported lock format ("files" must map each file to { "collection": "<hash>" })`);
  }
  return { version: 1, tests: parsed.tests, files: parsed.files };
}

/** A file entry in its canonical form, for comparing two locks. */
export function canonicalFile(entry: FileEntry): string {
  return JSON.stringify({ collection: entry.collection });
}

/** An entry in its canonical form (fixed field order, sorted context), for comparing two locks. */
export function canonicalEntry(id: string, entry: LockEntry): string {
  return JSON.stringify(entryOf({ id, ...entry, line: 0, disabled: [], titles: [] }));
}

export function entryOf(test: ContractTest): LockEntry {
  return { package: test.package, level: test.level, file: test.file, hash: test.hash, context: sortKeys(test.context) };
}

/** Serialises the lock: ids sorted, fields in a fixed order, trailing newline. */
export function formatLock(lock: ContractLock): string {
  const tests = sortKeys(
    Object.fromEntries(Object.entries(lock.tests).map(([id, entry]) => [id, { ...entryOf({ id, ...entry, line: 0, disabled: [], titles: [] }) }])),
  );
  const files = sortKeys(Object.fromEntries(Object.entries(lock.files ?? {}).map(([file, entry]) => [file, { collection: entry.collection }])));
  const body = Object.keys(files).length === 0 ? { $comment: COMMENT, version: 1, tests } : { $comment: COMMENT, version: 1, tests, files };
  return `${JSON.stringify(body, null, 2)}\n`;
}

export function writeLock(root: string, lock: ContractLock): void {
  writeFileSync(join(root, LOCK_PATH), formatLock(lock));
}
