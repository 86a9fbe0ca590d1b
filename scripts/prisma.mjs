#!/usr/bin/env node
// Runs the Prisma CLI offline: Prisma 6.19 tries to fetch native engines at start-up unless
// both engine variables name a file that exists (shared/facts.md). Any file will do.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const placeholder = path.join(path.dirname(cli), 'prisma_schema_build_bg.wasm');
const env = {
  ...process.env,
  PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? placeholder,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? placeholder,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
// The adapter opens the database file and fails when its folder is missing.
fs.mkdirSync(path.resolve(process.env.PORTCULLIS_DATA ?? 'data'), { recursive: true });
const r = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
