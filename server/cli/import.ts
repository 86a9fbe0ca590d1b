/**
 * `portcullis import [--replace] FILE`: a Postfix main.cf and every table it names, stored as
 * one policy revision (server/policy-files), then taken by the gateway running on the data
 * folder, as `postfix reload` after editing main.cf would be.
 * Exports: runImport.
 * Output as a Postfix tool: `portcullis: warning: ...` for what is not imported or not
 * supported, one `portcullis: fatal: ...` per problem that refuses the import (nothing is
 * stored then), and a summary on standard output. Exit 0 when stored and served (or no gateway
 * runs); 1 when refused, or when the running gateway refused the stored policy.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { CliIo } from './cli-io.ts';
import { applyMigrations } from '../db/migrate.ts';
import { databasePath } from '../db/data-dir.ts';
import { importMainCf } from '../policy-files/import-main-cf.ts';
import { controlSocketPath, sendControlRequest } from '../control/control-socket.ts';

const USAGE = 'usage: portcullis import [--replace] FILE';

/** runImport - run one import command line; resolves to the exit status. */
export async function runImport(argv: string[], io: CliIo): Promise<number> {
  let replace = false;
  const files: string[] = [];
  for (const arg of argv) {
    if (arg === '--replace') replace = true;
    else if (arg.startsWith('-') && arg !== '-') return fatal(io, `import: unknown option "${arg}"\n${USAGE}`);
    else files.push(arg);
  }
  if (files.length !== 1) return fatal(io, USAGE);

  applyMigrations(databasePath(io.dataDir));
  const outcome = importMainCf({ file: files[0], dataDir: io.dataDir, replace, actor: `import:${describeUser()}` });
  for (const warning of outcome.warnings) io.stderr(`portcullis: warning: ${warning}\n`);
  if (!outcome.ok) {
    for (const error of outcome.errors) io.stderr(`portcullis: fatal: ${error}\n`);
    io.stderr(`portcullis: fatal: import ${files[0]}: refused; the stored policy is unchanged\n`);
    return 1;
  }

  const { report } = outcome;
  const defaults = report.defaults ? ` (${report.defaults} more equal their defaults: no row)` : '';
  io.stdout(`portcullis: import ${files[0]}: ${report.parameters} parameters${defaults}, ${report.tables.length} tables\n`);
  for (const t of report.tables) io.stdout(`portcullis: table ${t.name}: ${t.kind}, ${countEntries(t.entries)}, from ${t.source}\n`);
  if (report.removedParameters.length) io.stdout(`portcullis: removed parameters: ${report.removedParameters.join(' ')}\n`);
  if (report.removedTables.length) io.stdout(`portcullis: removed tables: ${report.removedTables.join(' ')}\n`);
  io.stdout(outcome.revisionId === null
    ? 'portcullis: the stored policy already was so: nothing written\n'
    : `portcullis: stored as configuration revision ${outcome.revisionId}\n`);
  return reloadGateway(io);
}

// Ask the gateway of this data folder to take the stored policy now and wait for its answer.
async function reloadGateway(io: CliIo): Promise<number> {
  const idle = 'portcullis: the gateway is not running; it takes the stored policy when it starts\n';
  if (!fs.existsSync(controlSocketPath(io.dataDir))) {
    io.stdout(idle);
    return 0;
  }
  const reply = await sendControlRequest(io.dataDir, { command: 'reload' });
  if (reply.ok) {
    io.stdout(`portcullis: reload: running configuration revision ${reply.revision}\n`);
    return 0;
  }
  // A socket left behind by a gateway that died answers nothing: the same as not running.
  if (reply.error === 'the gateway is not running') {
    io.stdout(idle);
    return 0;
  }
  return fatal(io, `reload: the running gateway refused the stored policy and keeps its old one: ${reply.error}`);
}

function countEntries(n: number): string {
  return n === 1 ? '1 entry' : `${n} entries`;
}

function fatal(io: CliIo, text: string): number {
  io.stderr(`portcullis: fatal: ${text}\n`);
  return 1;
}

// A uid without a passwd entry (containers) has no login name: the uid stands in.
function describeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}
