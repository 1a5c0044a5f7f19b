// Fixture: a setup file that skips a locked test from outside its file.
import { beforeEach } from 'vitest';

beforeEach((context) => {
  if (context.task.name === 'is skipped by a setup file') context.skip();
});
