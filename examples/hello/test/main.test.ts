import { afterEach, describe, expect, it } from 'vitest';
import { loadHelloConfig } from '@rampart/example-hello';

afterEach(() => {
  delete process.env.HELLO_PORT;
  delete process.env.HELLO_RATE_LIMIT__LIMIT;
});

describe('example service: configuration and entry point', () => {
  it('embedded defaults, overridable by HELLO_* variables', async () => {
    expect(await loadHelloConfig()).toEqual({ host: '127.0.0.1', port: 3000, rateLimit: { limit: 5, windowMs: 60_000 } });
    process.env.HELLO_PORT = '8081';
    process.env.HELLO_RATE_LIMIT__LIMIT = '50';
    expect(await loadHelloConfig()).toMatchObject({ port: 8081, rateLimit: { limit: 50 } });
  });

  it('main starts the service and it stops cleanly', async () => {
    process.env.HELLO_PORT = '0';
    const { app } = await import('../src/main.ts');
    expect(app.state).toBe('started');
    await app.stop();
    expect(app.state).toBe('stopped');
  });
});
