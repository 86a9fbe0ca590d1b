#!/usr/bin/env node
// The `portcullis` command: loads the TypeScript sources through tsx (no build step) and runs
// the CLI dispatcher in server/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../server/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
