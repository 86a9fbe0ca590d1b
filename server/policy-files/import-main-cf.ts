/**
 * Import a Postfix main.cf and the tables it names into a data folder: read the file, plan the
 * change against what is stored (plan-import.ts) and write parameters and tables in one
 * transaction with one PolicyRevision, or write nothing at all. What `portcullis import` calls.
 * Exports: ImportOptions, ImportOutcome, importMainCf.
 * The database must be migrated. The plan runs inside the write transaction, so a change made
 * meanwhile (the console, `postconf -e`) is never overwritten unseen.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readMainCfFile } from '../config/main-cf-file.ts';
import { openTableStore } from '../maps/table-store.ts';
import { planImport, type ImportPlan, type ImportReport } from './plan-import.ts';

export interface ImportOptions {
  readonly file: string;     // the main.cf; relative to the working directory
  readonly dataDir: string;
  readonly replace: boolean; // the file replaces the whole stored policy
  readonly actor: string;    // who, for the PolicyRevision
}

export type ImportOutcome =
  | { ok: true; revisionId: number | null; report: ImportReport; warnings: string[] } // null: nothing changed
  | { ok: false; errors: string[]; warnings: string[] };

/** importMainCf - store what the file says; every problem is listed and nothing is written. */
export function importMainCf(options: ImportOptions): ImportOutcome {
  const file = path.resolve(options.file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'No such file or directory' : code === 'EISDIR' ? 'Is a directory' : (error as Error).message;
    return { ok: false, errors: [`open ${file}: ${reason}`], warnings: [] };
  }
  const parsed = readMainCfFile(text, file);
  if (parsed.errors.length) return { ok: false, errors: [...parsed.errors], warnings: [...parsed.warnings] };

  const store = openTableStore(options.dataDir);
  try {
    let plan: ImportPlan | null = null;
    const written = store.commitPolicy((current) => {
      plan = planImport({ file, entries: parsed.entries, replace: options.replace }, current, store);
      return plan.ok ? plan.change : { errors: plan.errors };
    }, options.actor, `import ${options.replace ? '--replace ' : ''}${file}`);
    // TypeScript cannot see the assignment inside the callback: name the type again.
    const done = plan as ImportPlan | null;
    const warnings = [...parsed.warnings, ...(done?.warnings ?? [])];
    if (!written.ok) return { ok: false, errors: written.errors, warnings };
    if (done === null || !done.ok) throw new Error('importMainCf: the store wrote a change that was not planned');
    return { ok: true, revisionId: written.revisionId, report: done.report, warnings };
  } finally {
    store.close();
  }
}
