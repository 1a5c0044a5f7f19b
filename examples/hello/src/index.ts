export { buildHelloApp, NOTES, THROTTLE } from './app.ts';
export type { HelloAppOptions } from './app.ts';
export { loadHelloConfig, schema } from './config.ts';
export type { HelloConfig } from './config.ts';
export { NotesStore } from './notes.ts';
export { helloController, notesController, limitedController, throttleGuard } from './controllers.ts';
