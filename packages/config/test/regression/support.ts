/**
 * Shared by the regression tests: the ConfigError a promise rejects with, and a
 * temporary folder for source files, made before the file's tests and removed after.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { ConfigError } from '../../src/errors.ts';

/** The error `promise` rejects with; throws when it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected a rejection');
}

/** A temporary folder for the calling test file; `write` puts a file in it and returns its path. */
export function tempFolder(prefix: string): { path: () => string; write: (name: string, text: string) => Promise<string> } {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return {
    path: () => dir,
    write: async (name, text) => {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    },
  };
}
