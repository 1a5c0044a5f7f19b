/**
 * Wires the service: one module owning the vault, the notes store and the
 * throttler, and the HTTP module serving the controllers (URI versioning,
 * v1 deprecated with a sunset date and a migration link).
 */
import { createApp, defineModule, token } from '@rampart/core';
import type { Application, Logger } from '@rampart/core';
import { HttpModule } from '@rampart/http';
import { createHttpThrottle } from '@rampart/throttler';
import type { HttpThrottle } from '@rampart/throttler';
import { createVault } from '@rampart/vault';
import type { HelloConfig } from './config.ts';
import { helloController, limitedController, notesController } from './controllers.ts';
import { NotesStore } from './notes.ts';

export const NOTES = token<NotesStore>('hello.notes', 'Encrypted notes');
export const THROTTLE = token<HttpThrottle>('hello.throttle', 'Per-IP rate limiter');

/** Options for tests and embedding. */
export interface HelloAppOptions {
  readonly config: HelloConfig;
  readonly logger?: Logger;
  readonly clock?: { now(): number };
  readonly shutdownSignals?: false;
}

/**
 * Builds the application (not started).
 * @example
 * const app = buildHelloApp({ config: await loadHelloConfig() });
 * await app.start();
 */
export function buildHelloApp(options: HelloAppOptions): Application {
  const { config } = options;
  // In-memory keyring and stores: embedded defaults, nothing to install.
  const vault = createVault();
  const notes = new NotesStore(vault);
  const throttle = createHttpThrottle({ policies: { limit: config.rateLimit.limit, windowMs: config.rateLimit.windowMs } });
  const services = defineModule({
    name: 'services',
    version: '0.1.0',
    providers: [
      { provide: NOTES, useValue: notes },
      { provide: THROTTLE, useValue: throttle },
    ],
    stop: () => throttle.close(),
  });
  const http = HttpModule.forRoot({
    requires: ['services'],
    host: config.host,
    port: config.port,
    controllers: [helloController, notesController(notes), limitedController(throttle)],
    versioning: {
      type: 'uri',
      versions: {
        '1': { deprecated: { since: new Date('2026-01-01T00:00:00Z'), sunset: new Date('2027-01-01T00:00:00Z'), link: 'https://rampart.dev/examples/hello/v2' } },
      },
    },
    openapi: { info: { title: 'Rampart hello', version: '0.1.0' } },
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.shutdownSignals === false ? { shutdownSignals: false } : {}),
  });
  return createApp({ id: 'hello', modules: [services, http], ...(options.logger === undefined ? {} : { logger: options.logger }) });
}
