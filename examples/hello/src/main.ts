/**
 * Entry point: `npm start` at the repository root. Loads configuration, starts
 * the app; SIGTERM / SIGINT drain in-flight requests and stop it.
 */
import { HTTP_SERVER } from '@rampart/http';
import { buildHelloApp } from './app.ts';
import { loadHelloConfig } from './config.ts';

export const app = buildHelloApp({ config: await loadHelloConfig() });
await app.start();
const server = app.get(HTTP_SERVER);
app.logger.info({ routes: server.routes.map((r) => `${r.method} ${r.url}`) }, 'hello service ready; try GET /v2/hello');
