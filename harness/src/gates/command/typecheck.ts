/**
 * The `typecheck` gate: `npm run typecheck` (tsc --noEmit over the whole repo,
 * tests included, against source).
 */
import { commandGate, countTsErrors } from './command-gate.ts';

/**
 * @example
 * builtinGates.typecheck = async () => (await import('./command/typecheck.ts')).typecheckGate;
 */
export const typecheckGate = commandGate({
  name: 'typecheck',
  description: 'TypeScript strict type check of every workspace, tests included (npm run typecheck)',
  command: 'npm',
  args: ['run', 'typecheck'],
  summarize(output, code) {
    const errors = countTsErrors(output);
    if (code === 0) return { summary: 'no type errors', figures: { errors: 0 } };
    return { summary: errors > 0 ? `${errors} type error${errors === 1 ? '' : 's'}` : `exit code ${code}`, figures: { errors } };
  },
});
