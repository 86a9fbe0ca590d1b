#!/usr/bin/env node
// npm test: every *.test.ts under test/ (or the files and folders given), through Node's own
// test runner with tsx loading TypeScript. Exits with the runner's status. Browser tests
// (test/e2e) need the console's build: it is made first when missing or older than its sources.
// The spec reporter ends with the failing tests, so the tail of a CI log says what failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function collect(p, out) {
  const st = fs.statSync(p);
  if (st.isDirectory()) {
    for (const e of fs.readdirSync(p).sort()) if (e !== 'node_modules' && e !== 'fixtures') collect(path.join(p, e), out);
  } else if (p.endsWith('.test.ts')) out.push(p);
  return out;
}

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['test'];
const files = roots.flatMap((r) => collect(r, []));
if (!files.length) { console.error('no test files found under ' + roots.join(' ')); process.exit(1); }
if (files.some((f) => f.split(path.sep).includes('e2e'))) {
  const build = spawnSync(process.execPath, [path.join(import.meta.dirname, 'build-console.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test' },
});
process.exit(r.status ?? 1);
