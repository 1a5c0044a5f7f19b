/**
 * Keeps secret-holding objects from printing their contents. `util.inspect`
 * (console.log, pino's fallback, test snapshots) and `JSON.stringify` both
 * consult these hooks, so key material and plaintext never reach a log line.
 */
import { inspect } from 'node:util';

export const INSPECT = inspect.custom;

/** The text every secret-holding object prints instead of its contents. */
export const REDACTED = '[redacted]';
