// Fixture: a vitest config that switches locked contract tests off without
// touching a contract file or the lock. The contracts gate must see through it.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    {
      name: 'turn-a-locked-test-into-todo',
      enforce: 'pre' as const,
      transform: (code: string, id: string) =>
        id.endsWith('l2.contract.test.ts') ? code.replace("it('is turned into a todo by a plugin'", "it.todo('is turned into a todo by a plugin'") : undefined,
    },
  ],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'contracts',
          include: ['contracts/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'contracts/excluded/**'],
          setupFiles: ['./skip-one.setup.ts'],
        },
      },
    ],
  },
});
