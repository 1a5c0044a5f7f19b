/**
 * Child process for the multi-process test: fires `count` decisions at one
 * shared key on a real Redis and prints how many were admitted.
 * argv: redisUrl prefix count
 */
import { Redis } from 'ioredis';
import { definePolicies } from '../policy.ts';
import { RedisStore } from '../redis-store.ts';

const [url = '', prefix = '', count = '0'] = process.argv.slice(2);
const client = new Redis(url);
const store = new RedisStore({ client, prefix });
// 1 000 per day, burst 1 000: refill during the run is far below one token.
const policies = definePolicies({ algorithm: 'token-bucket', limit: 1_000, windowMs: 86_400_000 });
let admitted = 0;
let inFlight: Promise<void>[] = [];
for (let i = 0; i < Number(count); i++) {
  inFlight.push(store.consume('shared', policies, 1).then((o) => void (admitted += o.allowed ? 1 : 0)));
  if (inFlight.length === 100) {
    await Promise.all(inFlight);
    inFlight = [];
  }
}
await Promise.all(inFlight);
client.disconnect();
process.stdout.write(JSON.stringify({ admitted }));
