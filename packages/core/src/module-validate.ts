/**
 * All-or-nothing registration (FR-036): a batch of module declarations is
 * validated as a whole; any problem in any module rejects the batch, with
 * every problem listed, and registers none.
 */
import { isSchema } from './app-config.ts';
import { causeOf, coreError } from './errors.ts';
import { isRampartError } from './rampart-error.ts';
import type { RampartError } from './rampart-error.ts';
import { isModuleClass, toDefinition } from './module.ts';
import type { ModuleClass, ModuleDefinition } from './module.ts';
import { toProviderRecord } from './provider-record.ts';
import type { Provider, ProviderRecord } from './provider.ts';
import { parseSemVer, satisfiesMinimum } from './semver.ts';
import { formatValue } from './suggest.ts';
import type { CoreErrorCode } from './errors.ts';

export interface RegisteredModule {
  readonly definition: ModuleDefinition;
  readonly providers: readonly ProviderRecord[];
  /** Registration order across the app (also the provider batch). */
  readonly index: number;
}

interface Problem {
  readonly module: string;
  readonly code: CoreErrorCode;
  readonly message: string;
  /** What was thrown, when the problem is a throw (kept as the error's cause, not in its details). */
  readonly cause?: unknown;
}

const MODULE_NAME = /^[A-Za-z0-9][A-Za-z0-9._@/-]{0,99}$/;
const HOOKS = ['init', 'start', 'stop', 'health', 'reload'] as const;

function checkShape(def: ModuleDefinition, label: string, core: string, add: (code: CoreErrorCode, message: string) => void): void {
  if (typeof def.name !== 'string' || !MODULE_NAME.test(def.name)) add('CORE_ERR_INVALID_MODULE', `${label}: name must be 1-100 letters, digits, ".", "_", "@", "/", "-" starting with a letter or digit`);
  if (typeof def.version !== 'string' || parseSemVer(def.version) === undefined) add('CORE_ERR_INVALID_MODULE', `${label}: version ${formatValue(def.version)} is not SemVer`);
  for (const list of ['requires', 'optionalRequires'] as const) {
    const value = def[list];
    if (value !== undefined && (!Array.isArray(value) || value.some((n) => typeof n !== 'string'))) add('CORE_ERR_INVALID_MODULE', `${label}: ${list} must be an array of module names`);
    else if (value?.includes(def.name)) add('CORE_ERR_INVALID_MODULE', `${label}: a module cannot depend on itself`);
  }
  for (const hook of HOOKS) {
    if (def[hook] !== undefined && typeof def[hook] !== 'function') add('CORE_ERR_INVALID_MODULE', `${label}: ${hook} must be a function`);
  }
  if (def.providers !== undefined && !Array.isArray(def.providers)) add('CORE_ERR_INVALID_MODULE', `${label}: providers must be an array`);
  if (def.decorators !== undefined && (!Array.isArray(def.decorators) || !def.decorators.every(isDecorator))) {
    add('CORE_ERR_INVALID_MODULE', `${label}: decorators must be an array of module decorators ({ name, wrap(module), priority? })`);
  }
  if (def.config !== undefined && !isSchema(def.config)) add('CORE_ERR_INVALID_MODULE', `${label}: config must be a schema from defineSchema() of @rampart/config`);
  if (def.coreVersion !== undefined) checkCore(def.coreVersion, label, core, add);
}

/** A module decorator's shape: `{ name, wrap(module), priority? }` (also how createApp checks its `decorators`). */
export function isDecorator(value: unknown): boolean {
  const d = value as Partial<Record<'name' | 'wrap' | 'priority', unknown>> | null;
  return typeof d === 'object' && d !== null && typeof d.name === 'string' && typeof d.wrap === 'function' && (d.priority === undefined || Number.isFinite(d.priority));
}

function checkCore(wanted: unknown, label: string, core: string, add: (code: CoreErrorCode, message: string) => void): void {
  const min = typeof wanted === 'string' ? parseSemVer(wanted) : undefined;
  if (min === undefined) return add('CORE_ERR_INVALID_MODULE', `${label}: coreVersion ${formatValue(wanted)} is not SemVer`);
  if (!satisfiesMinimum(parseSemVer(core) as NonNullable<ReturnType<typeof parseSemVer>>, min)) {
    add('CORE_ERR_CORE_VERSION', `${label} needs @rampart/core ^${String(wanted)}, this is ${core}`);
  }
}

function providersOf(def: ModuleDefinition, index: number, add: (code: CoreErrorCode, message: string) => void): ProviderRecord[] {
  const records: ProviderRecord[] = [];
  if (!Array.isArray(def.providers)) return records;
  (def.providers as readonly Provider[]).forEach((p, i) => {
    try {
      records.push(toProviderRecord(p, { module: def.name, batch: index }, i));
    } catch (error) {
      /* v8 ignore next -- toProviderRecord only throws core errors */
      if (!isRampartError(error)) throw error;
      add('CORE_ERR_INVALID_PROVIDER', error.message);
    }
  });
  return records;
}

/**
 * Validates `inputs` against modules already registered (`taken` names);
 * returns the batch or throws one error listing every problem.
 */
export function validateBatch(inputs: readonly unknown[], taken: ReadonlySet<string>, firstIndex: number, core: string): RegisteredModule[] {
  const problems: Problem[] = [];
  const batch: RegisteredModule[] = [];
  const names = new Set(taken);
  inputs.forEach((input, i) => {
    const label = `module #${String(firstIndex + i)}`;
    if (typeof input === 'function' && !isModuleClass(input)) {
      problems.push({ module: input.name, code: 'CORE_ERR_INVALID_MODULE', message: `${label} (${input.name}): a class needs @Module(...) or moduleClass(...) metadata` });
      return;
    }
    if (input === null || (typeof input !== 'object' && typeof input !== 'function')) {
      problems.push({ module: label, code: 'CORE_ERR_INVALID_MODULE', message: `${label}: expected a module declaration, got ${input === null ? 'null' : typeof input}` });
      return;
    }
    let def: ModuleDefinition;
    try {
      def = toDefinition(input as ModuleDefinition | ModuleClass);
    } catch (error) {
      // A @Module class is instantiated to read its hooks: its constructor failing is a bad declaration, not a crash.
      const name = (input as ModuleClass).name;
      problems.push({ module: name, code: 'CORE_ERR_INVALID_MODULE', message: `${label} (${name}): its constructor threw: ${error instanceof Error ? error.message : String(error)}`, cause: error });
      return;
    }
    const named = typeof def.name === 'string' ? `module '${def.name}'` : label;
    const add = (code: CoreErrorCode, message: string) => problems.push({ module: String(def.name), code, message });
    checkShape(def, named, core, add);
    if (names.has(def.name)) add('CORE_ERR_DUPLICATE_MODULE', `${named} is registered twice`);
    names.add(def.name);
    batch.push({ definition: def, providers: providersOf(def, firstIndex + i, add), index: firstIndex + i });
  });
  if (problems.length > 0) throw rejection(problems);
  return batch;
}

function rejection(problems: readonly Problem[]): RampartError {
  const first = problems[0] as Problem;
  const list = problems.map((p) => `  - ${p.message}`).join('\n');
  const causes = problems.filter((p) => 'cause' in p).map((p) => p.cause);
  return coreError(first.code, `${String(problems.length)} problem(s) in module declarations; no module of this batch was registered:\n${list}`, {
    details: { problems: problems.map(({ module, code, message }) => ({ module, code, message })) },
    ...(causes.length === 0 ? {} : { cause: causeOf(causes, `${String(causes.length)} module constructor(s) threw`) }),
  });
}
