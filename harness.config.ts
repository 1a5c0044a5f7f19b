/**
 * The quality gates of this repository, in the order `npm run ci` runs them,
 * and the thresholds they enforce. Read by the harness (`rampart-harness ci`)
 * and by vitest.config.ts (coverage floors).
 */
import { defineConfig } from './harness/src/config.ts';

export default defineConfig({
  gates: ['typecheck', 'lint', 'build', 'test', 'contracts', 'api', 'bench', 'mutation', 'security', 'changeset'],
  thresholds: {
    coverage: {
      floor: 95,
      workspaces: { vault: 100, throttler: 100 },
    },
    mutation: { default: 80, harness: 80, vault: 90, throttler: 90 },
    benchRegression: 0.2,
  },
  gateOptions: {
    mutation: {
      // A static mutant (a module-level constant, table or regular
      // expression: code that runs once, when a file loads) cannot be switched
      // per test, so Stryker re-tests it against the whole harness suite
      // (2,546 tests, 2.5 minutes on this 2-core machine) whenever its file or
      // those tests change. After the harness changes of stop 20, 211 of them
      // were queued: about 7 hours, more than CI's 90 minutes. For the harness
      // alone they are ignored: a new or changed static mutant is reported as
      // Ignored and left out of the score, results an earlier full run
      // recorded stay (801 of 806 static mutants on 2026-12-06), and every
      // other mutant of harness/src is tested against its covering tests.
      ignoreStatic: ['harness'],
    },
    security: {
      // The npm registry reachable from this project's machines answers the
      // audit endpoint with 405 Method Not Allowed. The gate then reports
      // "audit unavailable" in the summary (never "clean"); where the endpoint
      // answers, findings at high+ fail the gate as usual. Only that answer
      // (404/405 from the registry) is tolerated: an audit that breaks for any
      // other reason fails, and under GitHub Actions the audit is required.
      auditUnavailable: 'warn',
    },
  },
});
