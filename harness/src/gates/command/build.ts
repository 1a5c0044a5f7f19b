/**
 * The `build` gate: `npm run build` (tsc -b), so every workspace compiles to
 * dist/ with declarations, as it will be published.
 */
import { commandGate, countTsErrors } from './command-gate.ts';

/**
 * @example
 * builtinGates.build = async () => (await import('./command/build.ts')).buildGate;
 */
export const buildGate = commandGate({
  name: 'build',
  description: 'Compile every workspace to dist/ with declarations (npm run build)',
  command: 'npm',
  args: ['run', 'build'],
  summarize(output, code) {
    const errors = countTsErrors(output);
    if (code === 0) return { summary: 'built', figures: { errors: 0 } };
    return { summary: errors > 0 ? `${errors} build error${errors === 1 ? '' : 's'}` : `exit code ${code}`, figures: { errors } };
  },
});
