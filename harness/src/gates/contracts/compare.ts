/**
 * Compares the contract tests found on disk with the lock and names every
 * broken promise: a locked test modified, removed, renamed, switched off, its
 * file deleted, or the hooks and helpers it relies on changed.
 */
import type { ContractFile, ContractTest } from './extract.ts';
import type { ContractLock, LockEntry } from './lock-file.ts';

export type ViolationKind =
  | 'modified' | 'removed' | 'renamed' | 'disabled' | 'file-deleted' | 'unlocked' | 'rule' | 'lock-removed' | 'lock-changed'
  /** A locked test missing from the vitest run, skipped, todo or failed there. */
  | 'not-run'
  /** The vitest run of the contract suites itself went wrong. */
  | 'run-failed'
  /** A runtime export of a package's API report that no contract test of the package imports. */
  | 'uncovered';

export interface Violation {
  kind: ViolationKind;
  /** The test the violation is about (absent for file-wide rule violations). */
  id?: string;
  /** The contract file a rule violation is about. */
  file?: string;
  message: string;
}

export interface Comparison {
  violations: Violation[];
  /** Tests on disk that are not in the lock yet. */
  fresh: ContractTest[];
  /** Locked tests found on disk (intact or not). */
  present: ContractTest[];
  /** The contract files that hold at least one locked test. */
  lockedFiles: ReadonlySet<string>;
}

export function compareWithLock(files: readonly ContractFile[], lock: ContractLock, ci: boolean): Comparison {
  const current = new Map<string, ContractTest>();
  for (const file of files) for (const test of file.tests) if (!current.has(test.id)) current.set(test.id, test);
  const fresh = [...current.values()].filter((test) => !(test.id in lock.tests));
  const scanned = new Set(files.map((file) => file.file));
  const violations: Violation[] = files.flatMap((file) => file.problems.map((message) => ({ kind: 'rule' as const, file: file.file, message })));
  const present: ContractTest[] = [];
  for (const [id, entry] of Object.entries(lock.tests)) {
    const test = current.get(id);
    if (test) {
      present.push(test);
      violations.push(...checkLocked(test, entry));
    } else {
      violations.push(missing(id, entry, scanned, fresh));
    }
  }
  const lockedFiles = new Set(Object.values(lock.tests).map((entry) => entry.file));
  violations.push(...collectionViolations(files, lock, lockedFiles, ci));
  for (const test of fresh) {
    if (test.disabled.length > 0) {
      violations.push({ kind: 'disabled', id: test.id, message: `disabled: "${test.id}" (new test, ${test.disabled.join(', ')}): contract tests always run` });
    } else if (ci) {
      violations.push({ kind: 'unlocked', id: test.id, message: `not locked: "${test.id}": run npm run contracts:lock and commit contracts/contracts.lock.json` });
    }
  }
  return { violations, fresh, present, lockedFiles };
}

/**
 * A file that holds locked tests has its collection code locked too (see
 * ContractFile.collection): an IIFE that replaces `toBe`, a cut
 * `describe.each` table or `{ retry: 30 }` on a describe weakens locked tests
 * without touching their entries.
 */
function collectionViolations(files: readonly ContractFile[], lock: ContractLock, lockedFiles: ReadonlySet<string>, ci: boolean): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    if (!lockedFiles.has(file.file)) continue;
    const locked = lock.files?.[file.file];
    if (locked === undefined) {
      if (ci) violations.push({ kind: 'unlocked', file: file.file, message: `not locked: the collection code of ${file.file}: run npm run contracts:lock and commit contracts/contracts.lock.json` });
    } else if (locked.collection !== file.collection) {
      violations.push({
        kind: 'modified',
        file: file.file,
        message: `modified: code that runs while ${file.file} is collected changed (a hook, a statement, a describe table or options, a loop header, or a declaration that runs code): it can change what its locked tests prove; put new setup in a new contract file`,
      });
    }
  }
  return violations;
}

function missing(id: string, entry: LockEntry, scanned: ReadonlySet<string>, fresh: readonly ContractTest[]): Violation {
  if (!scanned.has(entry.file)) {
    return { kind: 'file-deleted', id, message: `file deleted: ${entry.file} held locked test "${id}"` };
  }
  const twin = fresh.find((test) => test.file === entry.file && test.hash === entry.hash);
  if (twin) return { kind: 'renamed', id, message: `renamed: locked test "${id}" is now "${twin.id}"; locked tests keep their name` };
  return { kind: 'removed', id, message: `removed: locked test "${id}" is gone from ${entry.file}` };
}

function checkLocked(test: ContractTest, entry: LockEntry): Violation[] {
  const violations: Violation[] = [];
  const id = test.id;
  if (test.disabled.length > 0) {
    violations.push({ kind: 'disabled', id, message: `disabled: locked test "${id}" no longer runs (${test.disabled.join(', ')})` });
  }
  if (test.hash !== entry.hash) {
    violations.push({ kind: 'modified', id, message: `modified: locked test "${id}" changed (its code, an assertion, a literal or a called function)` });
  }
  const keys = new Set([...Object.keys(entry.context), ...Object.keys(test.context)]);
  for (const key of [...keys].sort()) {
    const before = entry.context[key];
    const after = test.context[key];
    if (before === after) continue;
    const change = before === undefined ? 'was added' : after === undefined ? 'was removed' : 'changed';
    violations.push({ kind: 'modified', id, message: `modified: locked test "${id}" depends on ${describeKey(key)}, which ${change}` });
  }
  return violations;
}

/** `hook (file) beforeEach#0` → `the beforeEach hook #1 of (file)`. */
export function describeKey(key: string): string {
  const [kind = '', ...rest] = key.split(' ');
  const name = rest.at(-1) ?? '';
  const scope = rest.slice(0, -1).join(' ');
  const where = scope === '(file)' ? 'at file level' : `in describe "${scope}"`;
  if (kind === 'hook') return `the ${name.replace(/#(\d+)$/, (_, n: string) => ` hook #${Number(n) + 1}`)} ${where}`;
  if (kind === 'setup') return `the ${name.replace(/#(\d+)$/, (_, n: string) => ` #${Number(n) + 1}`)} ${where}`;
  return `the helper "${name}" declared ${where}`;
}
