#!/usr/bin/env node
// npm run build: the console's production build (`next build`), only when its sources changed
// since the last one (server/console/console-build.ts decides, as `portcullis start` does).
import { register } from 'tsx/esm/api';

register();
const { ensureConsoleBuild } = await import('../server/console/console-build.ts');
const r = await ensureConsoleBuild((line) => console.log(line));
if (!r.ok) {
  console.error(r.error);
  process.exit(1);
}
console.log(r.built ? 'console built' : 'console build is current');
