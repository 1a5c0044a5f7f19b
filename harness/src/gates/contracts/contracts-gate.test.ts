import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitAll, editFile, gateContext, passedRun, reportedRun, scratchCopy } from '../../../test/contracts/gate-context.ts';
import { checkContracts, contractsGate } from './index.ts';
import { LOCK_PATH } from './lock-file.ts';

const FIXTURE = join(import.meta.dirname, '__fixtures__/project');
const L1 = 'contracts/demo/l1.contract.test.ts';
const L2 = 'contracts/demo/l2.contract.test.ts';
const ZERO = `${L1} > counter > starts at zero`;
const INCREMENTS = `${L1} > counter > increments by one`;
const RESET = `${L1} > counter > reset > goes back to the start value`;
const VERSION = `${L1} > exposes a version`;
const EACH = `${L2} > counter options > starts at %i then increments to %i`;
const NEGATIVE = `${L2} > counter options > rejects a negative start with a typed error`;

async function lockedCopy(): Promise<ReturnType<typeof scratchCopy>> {
  const copy = scratchCopy(FIXTURE);
  const code = await contractsGate.commands?.['contracts:lock']?.(gateContext(copy.root));
  expect(code).toBe(0);
  // Committed, so the gate has a base lock to compare with (HEAD is the base).
  commitAll(copy.root);
  return copy;
}

// An explicit, empty environment: a RAMPART_BASE_REF of the machine running the tests must not leak in.
// The fixture has no vitest project: the run reports every test on disk as passed.
async function check(root: string, ci = false, runner = passedRun) {
  return checkContracts(gateContext(root, ci), {}, runner);
}

const AGAINST_MAIN = /^lock checked against main \([0-9a-f]{12}\): entries may only be added$/;

const collectionChanged = (file: string): string =>
  `modified: code that runs while ${file} is collected changed (a hook, a statement, a describe table or options, a loop header, or a declaration that runs code): it can change what its locked tests prove; put new setup in a new contract file`;

function failures(details: string[] | undefined): string[] {
  return (details ?? []).filter((line) => /^(modified|removed|renamed|disabled|file deleted|not locked|contracts\/)/.test(line));
}

describe('contracts gate: locking', () => {
  it('locks every fixture test, sorted, with package, level and file', async () => {
    using copy = await lockedCopy();
    const lock = JSON.parse(readFileSync(join(copy.root, LOCK_PATH), 'utf8')) as { version: number; tests: Record<string, { package: string; level: string; file: string }> };
    expect(lock.version).toBe(1);
    expect(Object.keys(lock.tests)).toEqual([EACH, NEGATIVE, RESET, INCREMENTS, ZERO, VERSION].sort());
    expect(lock.tests[ZERO]).toMatchObject({ package: 'demo', level: 'l1', file: L1 });
    expect(lock.tests[EACH]).toMatchObject({ package: 'demo', level: 'l2', file: L2 });
  });

  it('passes on the untouched locked suite and prints counts per package and level', async () => {
    using copy = await lockedCopy();
    const result = await check(copy.root, true);
    expect(result.status).toBe('passed');
    expect(result.summary).toBe('6 locked, 0 new');
    expect(result.details).toEqual([
      '6 locked, 0 new; L1 4, L2 2',
      '  demo: L1 4, L2 2',
      'run: 6 of 6 locked test(s) passed in vitest project contracts (6 test runs)',
      expect.stringMatching(AGAINST_MAIN),
    ]);
    expect(result.figures).toEqual({ locked: 6, new: 0, l1: 4, l2: 2, ran: 6, violations: 0 });
  });

  it('writes the same bytes when locking twice (stable, sorted lock)', async () => {
    using copy = await lockedCopy();
    const first = readFileSync(join(copy.root, LOCK_PATH), 'utf8');
    const context = gateContext(copy.root);
    await contractsGate.commands?.['contracts:lock']?.(context);
    expect(readFileSync(join(copy.root, LOCK_PATH), 'utf8')).toBe(first);
    expect(context.lines).toEqual([`contracts:lock: added 0 test(s) to ${LOCK_PATH}`]);
  });
});

describe('contracts gate: every tampering is rejected with a message naming the test', () => {
  const tamperings: Array<[string, string, (text: string) => string, string[]]> = [
    ['an assertion value', L1, (t) => t.replace('toBe(0)', 'toBe(1)'), [`modified: locked test "${ZERO}" changed (its code, an assertion, a literal or a called function)`]],
    ['a matcher', L1, (t) => t.replace('toBe(STEP)', 'toBeGreaterThanOrEqual(STEP)'), [`modified: locked test "${INCREMENTS}" changed (its code, an assertion, a literal or a called function)`]],
    ['a called function', L1, (t) => t.replace('counter.reset();', 'counter.value();'), [`modified: locked test "${RESET}" changed (its code, an assertion, a literal or a called function)`]],
    ['a regular expression literal', L1, (t) => t.replace('/^\\d+\\.\\d+\\.\\d+$/', '/\\d/'), [`modified: locked test "${VERSION}" changed (its code, an assertion, a literal or a called function)`]],
    ['a test table row', L2, (t) => t.replace('[10, 11]', '[10, 10]'), [`modified: locked test "${EACH}" changed (its code, an assertion, a literal or a called function)`]],
    ['the deleted test', L1, (t) => t.replace(/\nit\('exposes a version'[\s\S]*?\n}\);\n/, '\n'), [`removed: locked test "${VERSION}" is gone from ${L1}`]],
    ['the renamed test', L1, (t) => t.replace("'starts at zero'", "'starts at 0'"), [`renamed: locked test "${ZERO}" is now "${L1} > counter > starts at 0"; locked tests keep their name`]],
    ['a test moved to another describe', L1, (t) => t.replace("describe('reset'", "describe('resetting'"), [`renamed: locked test "${RESET}" is now "${L1} > counter > resetting > goes back to the start value"; locked tests keep their name`]],
  ];

  it.each(tamperings)('rejects a changed %s', async (_label, file, edit, expected) => {
    using copy = await lockedCopy();
    editFile(join(copy.root, file), edit);
    const result = await check(copy.root);
    expect(result.status).toBe('failed');
    expect(failures(result.details)).toEqual(expected);
  });

  const switchOffs: Array<[string, (text: string) => string, string]> = [
    ['it.skip', (t) => t.replace("it('starts at zero'", "it.skip('starts at zero'"), 'it.skip'],
    ['it.only', (t) => t.replace("it('starts at zero'", "it.only('starts at zero'"), 'it.only'],
    ['it.todo', (t) => t.replace("it('starts at zero'", "it.todo('starts at zero'"), 'it.todo'],
    ['it.fails', (t) => t.replace("it('starts at zero'", "it.fails('starts at zero'"), 'it.fails'],
    ['it.skipIf', (t) => t.replace("it('starts at zero'", "it.skipIf(process.env.CI)('starts at zero'"), 'it.skipIf'],
    ['it.runIf', (t) => t.replace("it('starts at zero'", "it.runIf(process.env.FULL)('starts at zero'"), 'it.runIf'],
    ['it.concurrent.skip', (t) => t.replace("it('starts at zero'", "it.concurrent.skip('starts at zero'"), 'it.skip'],
    ['a skip option', (t) => t.replace("it('starts at zero', ()", "it('starts at zero', { skip: true }, ()"), '{ skip } option'],
    ['ctx.skip()', (t) => t.replace("it('starts at zero', () => {", "it('starts at zero', (ctx) => {\n    ctx.skip();"), 'ctx.skip() at line 20'],
    ['a conditional context.skip(cond)', (t) => t.replace("it('starts at zero', () => {", "it('starts at zero', (context) => {\n    context.skip(process.platform === 'win32');"), 'context.skip() at line 20'],
    ['a destructured skip()', (t) => t.replace("it('starts at zero', () => {", "it('starts at zero', ({ skip }) => {\n    if (!process.env.FULL) skip();"), 'skip() at line 20'],
  ];

  it.each(switchOffs)('rejects a locked test switched off by %s', async (_label, edit, mark) => {
    using copy = await lockedCopy();
    editFile(join(copy.root, L1), edit);
    const result = await check(copy.root);
    expect(result.status).toBe('failed');
    expect(failures(result.details)[0]).toBe(`disabled: locked test "${ZERO}" no longer runs (${mark})`);
  });

  it('rejects describe.skip, naming every test inside it', async () => {
    using copy = await lockedCopy();
    editFile(join(copy.root, L1), (t) => t.replace("describe('reset'", "describe.skip('reset'"));
    const result = await check(copy.root);
    expect(failures(result.details)).toEqual([`disabled: locked test "${RESET}" no longer runs (describe.skip)`]);
  });

  it('rejects a hook that skips every test of its describe', async () => {
    using copy = await lockedCopy();
    editFile(join(copy.root, L1), (t) => t.replace('beforeEach(() => {', 'beforeEach((ctx) => {\n    ctx.skip();'));
    const result = await check(copy.root);
    const disabled = failures(result.details).filter((line) => line.startsWith('disabled'));
    expect(disabled).toEqual([
      `disabled: locked test "${INCREMENTS}" no longer runs (beforeEach calls ctx.skip() at line 16)`,
      `disabled: locked test "${RESET}" no longer runs (beforeEach calls ctx.skip() at line 16)`,
      `disabled: locked test "${ZERO}" no longer runs (beforeEach calls ctx.skip() at line 16)`,
    ]);
  });

  it('rejects a deleted contract file, naming each locked test it held', async () => {
    using copy = await lockedCopy();
    rmSync(join(copy.root, L2));
    const result = await check(copy.root);
    expect(result.status).toBe('failed');
    expect(failures(result.details)).toEqual([
      `file deleted: ${L2} held locked test "${NEGATIVE}"`,
      `file deleted: ${L2} held locked test "${EACH}"`,
    ]);
  });

  it('rejects a weakened shared beforeEach, naming every test under it', async () => {
    using copy = await lockedCopy();
    editFile(join(copy.root, L1), (t) => t.replace('counter = freshCounter();', 'counter = freshCounter(1);'));
    const result = await check(copy.root);
    const hook = 'depends on the beforeEach hook #1 in describe "counter", which changed';
    expect(failures(result.details)).toEqual([...[INCREMENTS, RESET, ZERO].map((id) => `modified: locked test "${id}" ${hook}`), collectionChanged(L1)]);
  });

  it('rejects a weakened helper function, naming the tests that use it through the hook', async () => {
    using copy = await lockedCopy();
    editFile(join(copy.root, L1), (t) => t.replace('return createCounter({ start });', 'return createCounter({ start: start + 1 });'));
    const result = await check(copy.root);
    const helper = 'depends on the helper "freshCounter" declared at file level, which changed';
    expect(failures(result.details)).toEqual([INCREMENTS, RESET, ZERO].map((id) => `modified: locked test "${id}" ${helper}`));
  });

  it('rejects a changed shared constant, naming only the test that reads it', async () => {
    using copy = await lockedCopy();
    editFile(join(copy.root, L1), (t) => t.replace('const STEP = 1;', 'const STEP = 0;'));
    const result = await check(copy.root);
    expect(failures(result.details)).toEqual([`modified: locked test "${INCREMENTS}" depends on the helper "STEP" declared at file level, which changed`]);
  });

  it('rejects an import swapped for a look-alike', async () => {
    using copy = await lockedCopy();
    editFile(join(copy.root, L2), (t) => t.replace("import { createCounter } from '@rampart/demo';", "import { createCounter } from '@rampart/demo-lite';"));
    const result = await check(copy.root);
    const changed = 'depends on the helper "createCounter" declared at file level, which changed';
    expect(failures(result.details)).toEqual([NEGATIVE, EACH].map((id) => `modified: locked test "${id}" ${changed}`));
  });

  it('rejects a new hook or setup statement that changes what locked tests run in', async () => {
    using copy = await lockedCopy();
    editFile(join(copy.root, L2), (t) => t.replace("describe('counter options', () => {", "describe('counter options', () => {\n  afterEach(() => undefined);"));
    editFile(join(copy.root, L1), (t) => `${t}\nprocess.env.DEMO_FAST = '1';\n`);
    const result = await check(copy.root);
    const lines = failures(result.details);
    expect(lines).toContain(`modified: locked test "${VERSION}" depends on the ExpressionStatement #1 at file level, which was added`);
    expect(lines).toContain(`modified: locked test "${EACH}" depends on the afterEach hook #1 in describe "counter options", which was added`);
    expect(lines).toContain(collectionChanged(L1));
    expect(lines).toContain(collectionChanged(L2));
    expect(lines).toHaveLength(8);
  });

  it('keeps a changed locked test an error after contracts:lock and leaves its entry as it was', async () => {
    using copy = await lockedCopy();
    const before = readFileSync(join(copy.root, LOCK_PATH), 'utf8');
    editFile(join(copy.root, L1), (t) => t.replace('toBe(0)', 'toBe(1)'));
    const context = gateContext(copy.root);
    expect(await contractsGate.commands?.['contracts:lock']?.(context)).toBe(1);
    expect(readFileSync(join(copy.root, LOCK_PATH), 'utf8')).toBe(before);
    expect(context.lines).toContain(`  ✗ modified: locked test "${ZERO}" changed (its code, an assertion, a literal or a called function)`);
    expect((await check(copy.root)).status).toBe('failed');
  });
});

describe('contracts gate: what is allowed', () => {
  it('accepts formatting and comment changes', async () => {
    using copy = await lockedCopy();
    editFile(join(copy.root, L1), (t) =>
      t.replaceAll("'", '"').replaceAll('  ', '    ').replace('const STEP = 1;', '/* one step */ const STEP = 1 ;').replace('[5, 6],', '[5, 6,],'),
    );
    editFile(join(copy.root, L2), (t) => t.replace('it.each([', '// table of start values\n  it.each( [').replaceAll(';\n', ';\n\n'));
    const result = await check(copy.root, true);
    expect(result.status).toBe('passed');
    expect(result.summary).toBe('6 locked, 0 new');
  });

  it('accepts a pure addition: new outside CI, required to be locked in CI, locked without touching old entries', async () => {
    using copy = await lockedCopy();
    const before = JSON.parse(readFileSync(join(copy.root, LOCK_PATH), 'utf8')) as { tests: Record<string, unknown> };
    const added = `${L1} > counter > increments twice`;
    editFile(join(copy.root, L1), (t) => t.replace("  describe('reset'", "  it('increments twice', () => {\n    counter.increment();\n    counter.increment();\n    expect(counter.value()).toBe(2);\n  });\n\n  describe('reset'"));
    const local = await check(copy.root);
    expect(local.status).toBe('passed');
    expect(local.summary).toBe('6 locked, 1 new');
    expect(local.details?.at(-1)).toBe('1 new test(s) not locked yet: run npm run contracts:lock');
    const ci = await check(copy.root, true);
    expect(failures(ci.details)).toEqual([`not locked: "${added}": run npm run contracts:lock and commit contracts/contracts.lock.json`]);
    const context = gateContext(copy.root);
    expect(await contractsGate.commands?.['contracts:lock']?.(context)).toBe(0);
    expect(context.lines).toEqual([`contracts:lock: added 1 test(s) to ${LOCK_PATH}`, `  + ${added}`]);
    const after = JSON.parse(readFileSync(join(copy.root, LOCK_PATH), 'utf8')) as { tests: Record<string, unknown> };
    expect(after.tests).toEqual({ ...before.tests, [added]: after.tests[added] });
    expect((await check(copy.root, true)).summary).toBe('7 locked, 0 new');
  });

  it('accepts a new contract file for a new package and level', async () => {
    using copy = await lockedCopy();
    const file = 'contracts/other/l2.options.contract.test.ts';
    mkdirSync(join(copy.root, 'contracts/other'));
    writeFileSync(join(copy.root, file), "import { expect, it } from 'vitest';\nit('adds', () => {\n  expect(1 + 1).toBe(2);\n});\n");
    const result = await check(copy.root);
    expect(result.details?.slice(0, 3)).toEqual(['6 locked, 1 new; L1 4, L2 3', '  demo: L1 4, L2 2', '  other: L1 0, L2 1']);
  });
});

describe('contracts gate: the lock only grows relative to the base commit', () => {
  const git = (root: string, ...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const dropFromLock = (root: string, id: string) =>
    editFile(join(root, LOCK_PATH), (text) => {
      const lock = JSON.parse(text) as { tests: Record<string, unknown> };
      delete lock.tests[id];
      return `${JSON.stringify(lock, null, 2)}\n`;
    });
  const deleteVersionTest = (t: string) => t.replace(/\nit\('exposes a version'[\s\S]*?\n}\);\n/, '\n');

  it('rejects a locked test deleted together with its lock entry, committed on a branch', async () => {
    using copy = await lockedCopy();
    const main = git(copy.root, 'rev-parse', 'main').slice(0, 12);
    git(copy.root, 'checkout', '-q', '-b', 'feature');
    editFile(join(copy.root, L1), deleteVersionTest);
    dropFromLock(copy.root, VERSION);
    git(copy.root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-am', 'drop a contract');
    const expected = [`lock entry removed: "${VERSION}" is locked at main (${main}) but gone from ${LOCK_PATH}; locked entries are never removed`];
    for (const ci of [false, true]) {
      const result = await check(copy.root, ci);
      expect(result.status).toBe('failed');
      expect(result.summary).toBe('1 contract violation(s)');
      expect(result.details?.filter((line) => line.startsWith('lock entry'))).toEqual(expected);
    }
  });

  it('rejects the same deletion left uncommitted on main (HEAD is the base)', async () => {
    using copy = await lockedCopy();
    editFile(join(copy.root, L1), deleteVersionTest);
    dropFromLock(copy.root, VERSION);
    const main = git(copy.root, 'rev-parse', 'main').slice(0, 12);
    const result = await check(copy.root);
    expect(result.status).toBe('failed');
    expect(result.details?.[0]).toBe(`lock entry removed: "${VERSION}" is locked at main (${main}) but gone from ${LOCK_PATH}; locked entries are never removed`);
  });

  it('rejects a modified locked test re-locked under its old name (its entry rewritten)', async () => {
    using copy = await lockedCopy();
    const main = git(copy.root, 'rev-parse', 'main').slice(0, 12);
    editFile(join(copy.root, L1), (t) => t.replace('toBe(0)', 'toBe(1)'));
    dropFromLock(copy.root, ZERO);
    expect(await contractsGate.commands?.['contracts:lock']?.(gateContext(copy.root))).toBe(0);
    const result = await check(copy.root, true);
    expect(result.status).toBe('failed');
    expect(result.details?.filter((line) => line.startsWith('lock entry'))).toEqual([
      `lock entry changed: "${ZERO}" differs from main (${main}) in ${LOCK_PATH}; locked entries are never rewritten`,
    ]);
  });

  it('fails in CI without a base commit, and outside CI says the lock was not checked', async () => {
    using copy = scratchCopy(FIXTURE);
    expect(await contractsGate.commands?.['contracts:lock']?.(gateContext(copy.root))).toBe(0);
    expect(await check(copy.root, true)).toEqual({
      status: 'failed',
      summary: 'no base to check the lock against',
      details: [
        'CI=true but there is no base commit: not a git checkout with commits: nothing to compare',
        'fetch the history (actions/checkout with fetch-depth: 0) and set RAMPART_BASE_REF to the target branch, e.g. origin/main',
      ],
    });
    const local = await check(copy.root);
    expect(local.status).toBe('passed');
    expect(local.details?.at(-1)).toBe(
      'lock not checked against a base (not a git checkout with commits: nothing to compare): a removed or rewritten lock entry goes unnoticed outside CI',
    );
  });

  it('fails with the reason when the lock at the base cannot be read', async () => {
    using copy = scratchCopy(FIXTURE);
    writeFileSync(join(copy.root, LOCK_PATH), '{"version":2,"tests":{}}');
    commitAll(copy.root);
    const main = git(copy.root, 'rev-parse', 'main').slice(0, 12);
    git(copy.root, 'checkout', '-q', '-b', 'feature');
    rmSync(join(copy.root, LOCK_PATH));
    expect(await contractsGate.commands?.['contracts:lock']?.(gateContext(copy.root))).toBe(0);
    expect(await check(copy.root, true)).toEqual({
      status: 'failed',
      summary: 'cannot read the lock at the base',
      details: [`${LOCK_PATH} at main (${main}): unsupported lock format (expected version 1 with a "tests" object)`],
    });
  });
});

describe('contracts gate: every locked test runs and passes', () => {
  const run = (failures: Record<string, string | undefined>, code = 1) => reportedRun((id) => (id in failures ? failures[id] : 'passed'), code);
  const runLines = (details: string[] | undefined) => (details ?? []).filter((line) => /^(not run|failed|contract run)/.test(line));
  const PROJECT = 'vitest project contracts';

  it('rejects a locked test missing from the run (its file excluded in the vitest config), one skipped, one todo and one failing', async () => {
    using copy = await lockedCopy();
    const result = await check(copy.root, true, run({ [VERSION]: undefined, [ZERO]: 'skipped', [RESET]: 'todo', [EACH]: 'failed' }));
    expect(result.status).toBe('failed');
    expect(result.summary).toBe('4 contract violation(s)');
    expect(result.figures).toEqual({ locked: 6, new: 0, l1: 4, l2: 2, ran: 2, violations: 4 });
    expect(runLines(result.details)).toEqual([
      `not run: locked test "${RESET}" was reported todo by the ${PROJECT} run; contract tests always run`,
      `not run: locked test "${ZERO}" was reported skipped by the ${PROJECT} run; contract tests always run`,
      `not run: locked test "${VERSION}" is missing from the ${PROJECT} run (excluded or filtered out by the vitest config, or named differently at run time)`,
      `failed: locked test "${EACH}" failed in the ${PROJECT} run (as "${L2} > counter options > starts at 1 then increments to 1")`,
    ]);
    expect(result.details).toContain(`run: 2 of 6 locked test(s) passed in ${PROJECT} (2 test runs)`);
  });

  it('fails when vitest writes no report, with its exit code and output', async () => {
    using copy = await lockedCopy();
    const crashed = () => Promise.resolve({ code: 1, entries: undefined, output: 'No projects matched the filter "contracts".' });
    const result = await check(copy.root, false, crashed);
    expect(result.status).toBe('failed');
    expect(runLines(result.details)).toEqual([`contract run failed: ${PROJECT} wrote no report (exit code 1): No projects matched the filter "contracts".`]);
  });

  it('fails, without crashing, when the runner throws', async () => {
    using copy = await lockedCopy();
    const result = await check(copy.root, false, () => Promise.reject(new Error('no temporary directory')));
    expect(runLines(result.details)).toEqual([`contract run failed: ${PROJECT} wrote no report (exit code 1): no temporary directory`]);
  });

  it('fails when every locked test passed but vitest did not (an unlocked test failed)', async () => {
    using copy = await lockedCopy();
    const result = await check(copy.root, false, reportedRun(() => 'passed', 1));
    expect(runLines(result.details)).toEqual([`contract run failed: ${PROJECT} exited with code 1`]);
  });

  it('runs nothing when nothing is locked', async () => {
    using copy = scratchCopy(FIXTURE);
    let runs = 0;
    const result = await check(copy.root, false, (context) => {
      runs += 1;
      return passedRun(context);
    });
    expect(runs).toBe(0);
    expect(result.status).toBe('passed');
    expect(result.summary).toBe('0 locked, 6 new');
  });
});

// Found by an audit: code that runs while a file is collected but sits outside
// a locked test's describe chain, and is not used by the test, was in no lock
// entry. Each edit below kept every test entry intact and passed the gate.
describe('contracts gate: the collection code of a locked file is locked too', () => {
  const tamperings: Array<[string, string, (text: string) => string]> = [
    ['a declaration that replaces matchers when the file loads', L1, (t) => `${t}\nexport const matchers = (() => { expect.extend({ toBe: () => ({ pass: true, message: () => '' }) }); return 1; })();\n`],
    ['a class with a static block', L1, (t) => `${t}\nclass Patch { static { process.env.DEMO_FAST = '1'; } }\nvoid Patch;\n`],
    ['a statement in a sibling describe', L1, (t) => `${t}\ndescribe('elsewhere', () => {\n  expect.extend({});\n  it('x', () => undefined);\n});\n`],
    ['options on a describe', L2, (t) => t.replace("describe('counter options', () => {", "describe('counter options', { retry: 30 }, () => {")],
  ];

  it.each(tamperings)('rejects %s', async (_label, file, edit) => {
    using copy = await lockedCopy();
    editFile(join(copy.root, file), edit);
    const result = await check(copy.root);
    expect(result.status).toBe('failed');
    expect(failures(result.details)).toContain(collectionChanged(file));
  });

  it('rejects a cut describe.each table', async () => {
    using copy = scratchCopy(FIXTURE);
    const table = (rows: string) => `import { describe, expect, it } from 'vitest';\nimport { createCounter } from '@rampart/demo';\n\ndescribe.each([${rows}])('from $start', ({ start }) => {\n  it('counts up', () => {\n    const c = createCounter({ start });\n    c.increment();\n    expect(c.value()).toBe(start + 1);\n  });\n});\n`;
    writeFileSync(join(copy.root, 'contracts/demo/l2.table.contract.test.ts'), table('{ start: 0 }, { start: 7 }'));
    expect(await contractsGate.commands?.['contracts:lock']?.(gateContext(copy.root))).toBe(0);
    commitAll(copy.root);
    writeFileSync(join(copy.root, 'contracts/demo/l2.table.contract.test.ts'), table('{ start: 0 }'));
    expect(failures((await check(copy.root)).details)).toEqual([collectionChanged('contracts/demo/l2.table.contract.test.ts')]);
  });

  it('still lets a new it() block, a new plain describe and a new helper be added to a locked file', async () => {
    using copy = await lockedCopy();
    editFile(join(copy.root, L1), (t) => `${t}\nconst twice = (n: number) => n * 2;\ndescribe('more', () => {\n  it('doubles', () => {\n    expect(twice(2)).toBe(4);\n  });\n});\n`);
    const result = await check(copy.root);
    expect(result.status).toBe('passed');
    expect(result.summary).toBe('6 locked, 1 new');
  });

  it('locks the collection code of each file once, and never rewrites it', async () => {
    using copy = await lockedCopy();
    const lock = JSON.parse(readFileSync(join(copy.root, LOCK_PATH), 'utf8')) as { files: Record<string, { collection: string }> };
    expect(Object.keys(lock.files)).toEqual([L1, L2]);
    editFile(join(copy.root, L1), (t) => `${t}\nprocess.env.DEMO_FAST = '1';\n`);
    const before = readFileSync(join(copy.root, LOCK_PATH), 'utf8');
    expect(await contractsGate.commands?.['contracts:lock']?.(gateContext(copy.root))).toBe(1);
    expect(readFileSync(join(copy.root, LOCK_PATH), 'utf8')).toBe(before);
  });

  it('asks in CI for the collection code of a file locked before it was recorded, and lets contracts:lock add it', async () => {
    using copy = await lockedCopy();
    const lockPath = join(copy.root, LOCK_PATH);
    const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { files?: unknown };
    delete lock.files;
    writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
    commitAll(copy.root);
    expect(failures((await check(copy.root, true)).details)).toEqual([L1, L2].map((file) => `not locked: the collection code of ${file}: run npm run contracts:lock and commit contracts/contracts.lock.json`));
    expect(await contractsGate.commands?.['contracts:lock']?.(gateContext(copy.root))).toBe(0);
    expect((await check(copy.root, true)).status).toBe('passed');
  });

  it('rejects a file entry removed from or rewritten in the lock against the base', async () => {
    using copy = await lockedCopy();
    const lockPath = join(copy.root, LOCK_PATH);
    const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { files: Record<string, { collection: string }> };
    delete lock.files[L1];
    lock.files[L2] = { collection: '0'.repeat(32) };
    writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
    const details = (await check(copy.root)).details ?? [];
    expect(details).toContain(`lock entry removed: the collection code of ${L1} is locked at main (${details.join('').match(/main \(([0-9a-f]{12})\)/)?.[1] ?? ''}) but gone from ${LOCK_PATH}; locked entries are never removed`);
    expect(details.some((line) => line.startsWith(`lock entry changed: the collection code of ${L2} differs from main (`))).toBe(true);
  });
});
