/**
 * Observability: named `node:diagnostics_channel` channels (zero cost when
 * nobody subscribes) plus a pino-compatible logger for state transitions.
 */
import { channel } from 'node:diagnostics_channel';

/** Channel names, stable API. */
export const THROTTLE_CHANNELS = {
  decision: 'rampart:throttle.decision',
  breaker: 'rampart:throttle.breaker',
  storeError: 'rampart:throttle.store-error',
  capacity: 'rampart:throttle.capacity',
} as const;

export const decisionChannel = channel(THROTTLE_CHANNELS.decision);
export const breakerChannel = channel(THROTTLE_CHANNELS.breaker);
export const storeErrorChannel = channel(THROTTLE_CHANNELS.storeError);
export const capacityChannel = channel(THROTTLE_CHANNELS.capacity);

/** The logger subset used here; a pino or bunyan logger fits as is. */
export interface ThrottleLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

function line(level: string, obj: object, msg: string): void {
  process.stderr.write(`${JSON.stringify({ level, time: Date.now(), name: 'rampart:throttler', msg, ...obj })}\n`);
}

/**
 * Default logger: one JSON line per event on stderr. Only rare events
 * (breaker transitions, store errors, capacity) are logged, never decisions.
 * @example
 * createRateLimiter({ logger: pino() }); // or leave the default
 */
export const stderrLogger: ThrottleLogger = {
  info: (obj, msg) => line('info', obj, msg),
  warn: (obj, msg) => line('warn', obj, msg),
  error: (obj, msg) => line('error', obj, msg),
};
