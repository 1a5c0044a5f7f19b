export type { Gate, GateContext, GateResult, GateStatus, ExecOptions, ExecResult } from './gate.ts';
export { defineConfig } from './config.ts';
export type { HarnessConfig, CoverageThresholds } from './config.ts';
export { defineBenchSuite } from './bench/suite.ts';
export type { BenchSuite, BenchTask } from './bench/suite.ts';
export { standardDecorators, hasDecorator } from './vitest/standard-decorators.ts';
export type { StandardDecoratorsPlugin } from './vitest/standard-decorators.ts';
