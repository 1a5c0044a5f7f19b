import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { createJsonLogger, silentLogger } from './logger.ts';

describe('RampartError.toJSON() of a cause String() cannot convert', () => {
  it('describes the cause instead of throwing, so the error serializes and logs with its code (JSON.stringify threw)', async () => {
    const app = createApp({
      logger: silentLogger,
      modules: [
        {
          name: 'm',
          version: '1.0.0',
          start: () => {
            // A hook may throw any value, an object without a prototype included (README "Start").
            throw Object.create(null) as Error;
          },
        },
      ],
    });
    const error = (await app.start().catch((e: unknown) => e)) as Error & { code: string };
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(json).toMatchObject({ code: 'CORE_ERR_START_FAILED', category: 'lifecycle', cause: { name: 'object', message: 'a value of type object' } });
    const lines: string[] = [];
    createJsonLogger({ write: (line) => void lines.push(line) }).error({ err: error }, 'start failed');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ err: { code: 'CORE_ERR_START_FAILED', cause: { name: 'object', message: 'a value of type object' } } });
  });
});
