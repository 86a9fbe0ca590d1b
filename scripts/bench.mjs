#!/usr/bin/env node
// npm run bench: every benchmark in bench/ (or those named), one after another, each printing
// its own figures. Benchmarks bind loopback only and stop by themselves.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const names = process.argv.slice(2);
const files = fs.readdirSync('bench').filter((f) => f.endsWith('.ts')).sort()
  .filter((f) => !names.length || names.some((n) => f.includes(n)));
let failed = 0;
for (const f of files) {
  console.log(`\n== bench/${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('bench', f)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
