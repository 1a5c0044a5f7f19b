/**
 * The lock as it stands at the base commit. The working lock may only add to
 * it: the working lock alone cannot tell a deleted locked test whose entry was
 * deleted with it from a test that was never locked.
 */
import type { GateContext } from '../../gate.ts';
import { resolveBase, showAtBase } from '../changeset/base.ts';
import type { Violation } from './compare.ts';
import type { ContractLock, FileEntry } from './lock-file.ts';
import { canonicalEntry, canonicalFile, LOCK_PATH, parseLock } from './lock-file.ts';

export type BaseLock =
  /** `label` names the commit, e.g. `origin/main (0123456789ab)`. */
  | { kind: 'lock'; label: string; lock: ContractLock }
  /** No base commit (no git, no base branch, a one-commit checkout). */
  | { kind: 'missing'; note: string };

/**
 * The lock at the base that the changeset gate compares with (see
 * changeset/base.ts); when HEAD is the base, the lock committed at HEAD, so an
 * uncommitted edit of the lock is still caught. A lock absent at the base is
 * an empty one: nothing was locked yet.
 * @example
 * const base = await readBaseLock(context, process.env);
 */
export async function readBaseLock(context: GateContext, env: NodeJS.ProcessEnv): Promise<BaseLock> {
  const base = await resolveBase(context, env);
  if (base.kind === 'missing') return base;
  const label = `${base.ref} (${base.sha.slice(0, 12)})`;
  const text = await showAtBase(context, base.sha, LOCK_PATH);
  return { kind: 'lock', label, lock: text === undefined ? { version: 1, tests: {} } : parseLock(text, `${LOCK_PATH} at ${label}`) };
}

/**
 * Every base entry the working lock dropped or rewrote.
 * @example
 * lockShrinkage(baseLock, readLock(root), 'main (0123456789ab)'); // [] when entries were only added
 */
export function lockShrinkage(base: ContractLock, working: ContractLock, label: string): Violation[] {
  const violations: Violation[] = [];
  for (const file of Object.keys(base.files ?? {}).sort()) {
    const entry = base.files?.[file] as FileEntry;
    const now = working.files?.[file];
    if (now === undefined) {
      violations.push({ kind: 'lock-removed', file, message: `lock entry removed: the collection code of ${file} is locked at ${label} but gone from ${LOCK_PATH}; locked entries are never removed` });
    } else if (canonicalFile(now) !== canonicalFile(entry)) {
      violations.push({ kind: 'lock-changed', file, message: `lock entry changed: the collection code of ${file} differs from ${label} in ${LOCK_PATH}; locked entries are never rewritten` });
    }
  }
  for (const id of Object.keys(base.tests).sort()) {
    const entry = base.tests[id]!;
    const now = working.tests[id];
    if (now === undefined) {
      violations.push({ kind: 'lock-removed', id, message: `lock entry removed: "${id}" is locked at ${label} but gone from ${LOCK_PATH}; locked entries are never removed` });
    } else if (canonicalEntry(id, now) !== canonicalEntry(id, entry)) {
      violations.push({ kind: 'lock-changed', id, message: `lock entry changed: "${id}" differs from ${label} in ${LOCK_PATH}; locked entries are never rewritten` });
    }
  }
  return violations;
}
