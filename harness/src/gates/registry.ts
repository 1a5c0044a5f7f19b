/**
 * Built-in gates by name. Loaded lazily so one broken gate module cannot stop
 * the others from running; a name in harness.config.ts that is not here (and
 * not given as a gate object) fails the run loudly.
 */
import type { Gate } from '../gate.ts';

export const builtinGates: Record<string, () => Promise<Gate>> = {
  typecheck: async () => (await import('./command/typecheck.ts')).typecheckGate,
  lint: async () => (await import('./command/lint.ts')).lintGate,
  build: async () => (await import('./command/build.ts')).buildGate,
  test: async () => (await import('./test/test-gate.ts')).testGate,
  security: async () => (await import('./security/index.ts')).securityGate,
  mutation: async () => (await import('./mutation/index.ts')).mutationGate,
  contracts: async () => (await import('./contracts/index.ts')).contractsGate,
  api: async () => (await import('./api/index.ts')).apiGate,
  changeset: async () => (await import('./changeset/index.ts')).changesetGate,
  bench: () => import('./bench/index.ts').then((m) => m.benchGate),
};
