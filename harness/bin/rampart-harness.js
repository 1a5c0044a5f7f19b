#!/usr/bin/env node
// Entry of `rampart-harness`. In the repository it runs the TypeScript source
// directly (Node >= 22.18 strips types), so `npm run ci` works before any
// build; an installed copy (under node_modules, where Node refuses to strip
// types) or an older Node runs the compiled dist/.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli.ts', import.meta.url);
const canRunSource =
  Boolean(process.features.typescript) && existsSync(source) && !source.pathname.includes('/node_modules/');
const entry = canRunSource ? source : new URL('../dist/cli.js', import.meta.url);
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
