export { FakeClock } from './fake-clock.ts';
export type { Clock } from './fake-clock.ts';
