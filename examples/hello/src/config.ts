/**
 * The service's configuration: embedded defaults, overridable by environment
 * variables (`HELLO_PORT=8080`, `HELLO_RATE_LIMIT__LIMIT=10`).
 */
import { defineSchema, loadConfig, t } from '@rampart/config';
import type { Infer } from '@rampart/config';

export const schema = defineSchema({
  host: t.string().default('127.0.0.1'),
  port: t.port().default(3000),
  rateLimit: t.object({
    limit: t.integer().default(5),
    windowMs: t.duration().default(60_000),
  }),
});

export type HelloConfig = Infer<typeof schema>;

/** Loads configuration from defaults and `HELLO_*` environment variables. */
export async function loadHelloConfig(): Promise<HelloConfig> {
  const config = await loadConfig(schema, { envPrefix: 'HELLO_' });
  return config.value;
}
