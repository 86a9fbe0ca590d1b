/**
 * `portcullis export DIR`: the stored policy written as Postfix files (server/policy-files):
 * DIR/main.cf and one postmap source file per stored table, so that
 * `portcullis import --replace DIR/main.cf` gives the same policy back, here or elsewhere.
 * Exports: runExport.
 * DIR is created when missing. Nothing is overwritten: when any file to be written exists
 * already, each is named in a `portcullis: fatal:` line and nothing is written.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CliIo } from './cli-io.ts';
import { applyMigrations } from '../db/migrate.ts';
import { databasePath } from '../db/data-dir.ts';
import { openTableStore } from '../maps/table-store.ts';
import { exportPolicy } from '../policy-files/export-policy.ts';

const USAGE = 'usage: portcullis export DIR';

/** runExport - run one export command line; resolves to the exit status. */
export async function runExport(argv: string[], io: CliIo): Promise<number> {
  if (argv.length !== 1 || (argv[0].startsWith('-') && argv[0] !== '-')) return fatal(io, USAGE);
  const dir = path.resolve(argv[0]);

  applyMigrations(databasePath(io.dataDir));
  const store = openTableStore(io.dataDir, { readonly: true });
  let policy;
  try {
    policy = store.readPolicy();
  } finally {
    store.close();
  }
  const exported = exportPolicy(policy);
  if (!exported.ok) {
    for (const error of exported.errors) io.stderr(`portcullis: fatal: export: ${error}\n`);
    return 1;
  }
  for (const warning of exported.warnings) io.stderr(`portcullis: warning: export: ${warning}\n`);

  const targets = exported.files.map((f) => ({ ...f, file: path.join(dir, ...f.path.split('/')) }));
  const existing = targets.filter((t) => fs.existsSync(t.file));
  if (existing.length) {
    for (const t of existing) io.stderr(`portcullis: fatal: export: ${t.file} exists; export writes into a new folder, or one without these files\n`);
    return 1;
  }
  for (const t of targets) {
    fs.mkdirSync(path.dirname(t.file), { recursive: true });
    fs.writeFileSync(t.file, t.text, { flag: 'wx' });
  }
  io.stdout(`portcullis: export ${argv[0]}: main.cf with ${exported.parameters} parameters, ${policy.tables.length} tables\n`);
  for (const table of policy.tables) io.stdout(`portcullis: table ${table.name}: ${table.kind}, ${table.lines.length === 1 ? '1 entry' : `${table.lines.length} entries`}\n`);
  return 0;
}

function fatal(io: CliIo, text: string): number {
  io.stderr(`portcullis: fatal: ${text}\n`);
  return 1;
}
