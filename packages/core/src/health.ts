/**
 * Health and readiness (FR-048). Each module reports `healthy | degraded |
 * unhealthy`; aggregate health is the worst report, aggregate readiness
 * ignores modules declared `optional` and counts `degraded` as ready.
 */

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/** What a module's `health` hook returns. */
export interface HealthCheck {
  status: HealthStatus;
  message?: string;
}

/** One module's report, stamped by the application. */
export interface ModuleHealth {
  readonly status: HealthStatus;
  readonly message: string | undefined;
  /** ms epoch of the check, from the app's clock. */
  readonly timestamp: number;
  readonly optional: boolean;
}

export interface AppHealth {
  /** Worst status among all modules (`healthy` when there is none). */
  readonly status: HealthStatus;
  /** The app is started and no required module is `unhealthy`. */
  readonly ready: boolean;
  readonly timestamp: number;
  readonly modules: Readonly<Record<string, ModuleHealth>>;
}

const RANK: Readonly<Record<HealthStatus, number>> = { healthy: 0, degraded: 1, unhealthy: 2 };

export function isHealthStatus(value: unknown): value is HealthStatus {
  return value === 'healthy' || value === 'degraded' || value === 'unhealthy';
}

/**
 * What a health hook returned, as a report: one without a valid status
 * (`{ status: 'down' }`, `undefined`) is unhealthy, and only a string message is
 * kept. Used for a module's report and for each tenant's under tenantAware().
 */
export function checkedReport(report: unknown): HealthCheck {
  const { status, message } = (typeof report === 'object' && report !== null ? report : {}) as { status?: unknown; message?: unknown };
  if (!isHealthStatus(status)) return { status: 'unhealthy', message: 'health hook returned no valid status' };
  return typeof message === 'string' ? { status, message } : { status };
}

/** The worse of two statuses. */
export function worst(a: HealthStatus, b: HealthStatus): HealthStatus {
  return RANK[b] > RANK[a] ? b : a;
}

/** Folds module reports into the app report. */
export function aggregateHealth(modules: Readonly<Record<string, ModuleHealth>>, started: boolean, timestamp: number): AppHealth {
  let status: HealthStatus = 'healthy';
  let ready = started;
  for (const report of Object.values(modules)) {
    status = worst(status, report.status);
    if (!report.optional && report.status === 'unhealthy') ready = false;
  }
  return Object.freeze({ status, ready, timestamp, modules: Object.freeze({ ...modules }) });
}
