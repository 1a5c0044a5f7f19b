/**
 * The `lint` gate: `npm run lint` (type-aware eslint with import boundaries).
 */
import { commandGate } from './command-gate.ts';

/**
 * Counts from eslint's stylish footer (`✖ 3 problems (2 errors, 1 warning)`).
 * @example
 * lintCounts('✖ 3 problems (2 errors, 1 warning)'); // { errors: 2, warnings: 1 }
 */
export function lintCounts(output: string): { errors: number; warnings: number } {
  const match = /(\d+) problems? \((\d+) errors?, (\d+) warnings?\)/.exec(output);
  if (match === null) return { errors: 0, warnings: 0 };
  return { errors: Number(match[2]), warnings: Number(match[3]) };
}

/**
 * @example
 * builtinGates.lint = async () => (await import('./command/lint.ts')).lintGate;
 */
export const lintGate = commandGate({
  name: 'lint',
  description: 'Type-aware eslint with import-boundary rules (npm run lint)',
  command: 'npm',
  args: ['run', 'lint'],
  summarize(output, code) {
    const { errors, warnings } = lintCounts(output);
    const counts = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
    if (code === 0) return { summary: warnings === 0 ? 'clean' : counts, figures: { errors, warnings } };
    return { summary: errors + warnings > 0 ? counts : `exit code ${code}`, figures: { errors, warnings } };
  },
});
