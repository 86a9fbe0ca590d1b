/**
 * The console's production build (`next build` into .next/): made when missing, and made again
 * when any source it is built from (app/, server/, public/, the Next, PostCSS and package
 * files) is newer than the build, so `npm start` never serves a console older than its code.
 * Exports PROJECT_ROOT, isConsoleBuildCurrent, ensureConsoleBuild.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const SOURCES = ['app', 'server', 'public', 'next.config.ts', 'postcss.config.mjs', 'package.json', 'tsconfig.json'];

function newestChange(p: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestChange(path.join(p, entry)));
  return newest;
}

/** isConsoleBuildCurrent - a build exists and nothing it is made from changed after it. */
export function isConsoleBuildCurrent(root = PROJECT_ROOT): boolean {
  let built: number;
  try {
    built = fs.statSync(path.join(root, '.next', 'BUILD_ID')).mtimeMs;
  } catch {
    return false;
  }
  return SOURCES.every((s) => newestChange(path.join(root, s)) <= built);
}

/** ensureConsoleBuild - build when not current; its output goes to `log` line by line. */
export async function ensureConsoleBuild(log: (line: string) => void, root = PROJECT_ROOT): Promise<{ ok: true; built: boolean } | { ok: false; error: string }> {
  if (isConsoleBuildCurrent(root)) return { ok: true, built: false };
  log('building the console (next build), once after each change of its sources ...');
  const next = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const child = spawn(process.execPath, [next, 'build'], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) return { ok: false, error: `next build failed:\n${output.slice(-40).join('\n')}` };
  return { ok: true, built: true };
}
