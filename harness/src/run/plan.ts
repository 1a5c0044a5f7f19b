/**
 * Which gates run, in which order: the declared order of harness.config.ts,
 * narrowed by `--only`, with `--skip` kept in the plan so the summary shows
 * them as skipped. A name that is neither a built-in gate nor a gate object
 * still gets a loader: one that fails loudly when the gate's turn comes.
 */
import type { HarnessConfig } from '../config.ts';
import type { Gate } from '../gate.ts';
import { HarnessError } from '../errors.ts';

export type GateRegistry = Readonly<Record<string, () => Promise<Gate>>>;

export interface PlannedGate {
  name: string;
  /** Set when `--skip` named the gate. */
  skipped: boolean;
  load: () => Promise<Gate>;
}

export interface Selection {
  only?: readonly string[];
  skip?: readonly string[];
}

/**
 * @example
 * planGates(config, builtinGates, { skip: ['bench'] }).map((g) => g.name);
 */
export function planGates(config: HarnessConfig, registry: GateRegistry, selection: Selection = {}): PlannedGate[] {
  const all = config.gates.map((entry) => plannedGate(entry, registry));
  const names = all.map((gate) => gate.name);
  const only = selection.only ?? [];
  const skip = selection.skip ?? [];
  for (const name of [...only, ...skip]) {
    if (!names.includes(name)) {
      throw new HarnessError('HARNESS_ERR_USAGE', `unknown gate "${name}"; configured gates: ${names.join(', ')}`);
    }
  }
  return all
    .filter((gate) => only.length === 0 || only.includes(gate.name))
    .map((gate) => ({ ...gate, skipped: skip.includes(gate.name) }));
}

/**
 * A gate for one-gate commands (`rampart-harness bench --update`): taken from
 * the config when listed there, else from the registry.
 * @example
 * planOne(config.gates, builtinGates, 'bench');
 */
export function planOne(gates: ReadonlyArray<string | Gate>, registry: GateRegistry, name: string): PlannedGate {
  const configured = gates.map((entry) => plannedGate(entry, registry)).find((gate) => gate.name === name);
  if (configured !== undefined) return configured;
  if (Object.hasOwn(registry, name)) return plannedGate(name, registry);
  throw new HarnessError('HARNESS_ERR_USAGE', `unknown gate or command "${name}"`);
}

function plannedGate(entry: string | Gate, registry: GateRegistry): PlannedGate {
  if (typeof entry !== 'string') return { name: entry.name, skipped: false, load: () => Promise.resolve(entry) };
  // Own-property lookup: a gate named "constructor" must not find Object.prototype's.
  const loader = Object.hasOwn(registry, entry) ? registry[entry] : undefined;
  const load =
    loader ??
    (() =>
      Promise.reject(
        new HarnessError('HARNESS_ERR_GATE_MISSING', `"${entry}" is in harness.config.ts but no gate module registers it`),
      ));
  return { name: entry, skipped: false, load };
}
