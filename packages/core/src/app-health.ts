/**
 * Runs every module's `health` hook with a time limit and folds the reports
 * (FR-048). A hook that throws, hangs or returns garbage reports `unhealthy`
 * with the reason, it never fails the health call itself.
 */
import { aggregateHealth, checkedReport } from './health.ts';
import type { AppHealth, HealthCheck, ModuleHealth } from './health.ts';
import type { ModuleRuntime } from './lifecycle.ts';
import type { ModuleContext } from './module.ts';
import { thrownMessage } from './suggest.ts';
import { settleWithin, TIMED_OUT } from './timeout.ts';

async function checkModule(runtime: ModuleRuntime, timeoutMs: number): Promise<HealthCheck> {
  if (runtime.state !== 'started') return { status: 'unhealthy', message: `module is ${runtime.state}` };
  const hook = runtime.definition.health;
  if (hook === undefined) return { status: 'healthy' };
  try {
    const work = Promise.resolve().then(() => hook.call(runtime.definition, runtime.ctx as ModuleContext));
    const report = await settleWithin(work, timeoutMs);
    if (report === TIMED_OUT) return { status: 'unhealthy', message: `health check did not answer within ${String(timeoutMs)} ms` };
    return checkedReport(report);
  } catch (error) {
    return { status: 'unhealthy', message: thrownMessage(error) };
  }
}

export async function checkHealth(modules: readonly ModuleRuntime[], started: boolean, clock: { now(): number }, timeoutMs: number): Promise<AppHealth> {
  const reports = await Promise.all(modules.map((m) => checkModule(m, timeoutMs)));
  const timestamp = clock.now();
  const byModule: Record<string, ModuleHealth> = {};
  modules.forEach((m, i) => {
    const report = reports[i] as HealthCheck;
    byModule[m.definition.name] = Object.freeze({ status: report.status, message: report.message, timestamp, optional: m.definition.optional === true });
  });
  return aggregateHealth(byModule, started, timestamp);
}
