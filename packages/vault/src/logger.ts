/**
 * The one logging need of the vault: a warning when `list()` leaves out a
 * record it cannot use. Kept to `warn` so any pino-compatible logger (pino,
 * bunyan, @rampart/core's) fits without the vault importing one.
 */

/**
 * The logger subset the vault uses. Lines carry names and error codes, never
 * values, ciphertext or key material.
 * @example
 * new SecretStore({ keyring, storage, logger: pino() });
 */
export interface VaultLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Default: one JSON line per warning on stderr (pino's line shape), so a
 * record left out of a listing is visible even when no logger was configured.
 */
export const stderrLogger: VaultLogger = {
  warn: (obj, msg) => {
    process.stderr.write(`${JSON.stringify({ level: 'warn', time: Date.now(), name: 'rampart:vault', msg, ...obj })}\n`);
  },
};
