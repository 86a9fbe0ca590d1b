/**
 * Restore a policy revision: make the stored policy what it was right after revision N, its
 * parameter rows and every table a later revision changed, checked as the gateway's reload
 * would compile it, and written in one transaction as a new revision `restore revision N`
 * (so a restore is itself in the history, and can be undone by restoring the one before it).
 * Exports: RestoreOutcome, restoreRevision.
 * The state after N is read from the revisions after it: each records the rows and tables it
 * changed as they were before (revision-record.ts); what no later revision touched is as it is
 * now. Refused, with nothing written: an unknown revision, a table whose content then was
 * recorded only as size and digest and differs now, a policy the gateway would not compile,
 * and a change committed while the restore was being prepared.
 * Telling a running gateway to reload is the caller's part, as for every other change.
 */
import { MainCf } from '../config/main-cf.ts';
import { createPrismaClient } from '../db/client.ts';
import { createTableCatalog } from '../maps/table-catalog.ts';
import type { CompileTableResult } from '../maps/lookup-table.ts';
import {
  formatTableLine,
  openTableStore,
  splitTableLine,
  type StoredTable,
  type TableKind,
} from '../maps/table-store.ts';
import { readPostmapLines } from '../maps/postmap-source.ts';
import { buildSmtpdSnapshot } from '../smtp/smtpd-snapshot.ts';
import { checkPolicy } from './check-policy.ts';
import { createPendingTableStore } from './pending-table-store.ts';
import { describeDigest, readRevisionSide, sourceDigest, type RecordedTable } from './revision-record.ts';

export type RestoreOutcome =
  | { ok: true; revisionId: number | null; warnings: string[] } // null: the policy already was so
  | { ok: false; errors: string[] };

/** restoreRevision - the stored policy back to how revision `revisionId` left it, as a new revision. */
export async function restoreRevision(dataDir: string, revisionId: number, actor: string): Promise<RestoreOutcome> {
  const prisma = createPrismaClient(dataDir);
  let later: { id: number; before: string }[];
  try {
    const target = await prisma.policyRevision.findUnique({ where: { id: revisionId }, select: { id: true } });
    if (target === null) return { ok: false, errors: [`no policy revision ${revisionId}`] };
    later = await prisma.policyRevision.findMany({ where: { id: { gt: revisionId } }, orderBy: { id: 'asc' }, select: { id: true, before: true } });
  } finally {
    await prisma.$disconnect();
  }
  const newest = later.at(-1)?.id ?? revisionId;

  // The first later revision that recorded a thing recorded how N had left it.
  let parameters: Record<string, string> | null = null;
  const tables = new Map<string, RecordedTable>();
  for (const revision of later) {
    const side = readRevisionSide(revision.before);
    if (parameters === null && side.parameters !== null) parameters = { ...side.parameters };
    for (const [name, state] of side.tables) if (!tables.has(name)) tables.set(name, state);
  }

  const store = openTableStore(dataDir);
  const warnings: string[] = [];
  try {
    const written = store.commitPolicy((current) => {
      if (store.readParameters().revision !== newest) return { errors: ['the policy changed while the restore was being prepared; try again'] };
      const rows = parameters ?? current.parameters;
      const stored = new Set(current.tables.map((t) => t.name));
      const write: StoredTable[] = [];
      const remove: string[] = [];
      const errors: string[] = [];
      for (const [name, state] of tables) {
        if (state === null) {
          if (stored.has(name)) remove.push(name);
        } else if ('source' in state) {
          write.push({ name, kind: state.kind, lines: linesOf(name, state.kind, state.source) });
        } else if (!isUnchanged(store.read(name), state)) {
          errors.push(`table ${name}: its content at revision ${revisionId} was recorded only as ${describeDigest(state)} ` +
            '(larger than a revision keeps), and it has changed since: it cannot be restored from history');
        }
      }
      if (errors.length) return { errors };

      // Checked as the gateway's reload compiles it; what only saving would refuse is a warning.
      const mainCf = new MainCf(rows);
      const broken = mainCf.errors();
      if (broken.length) return { errors: broken.map((e) => e.error) };
      const pending = createPendingTableStore(new Map(write.map((t) => [t.name, t])), store);
      const removed = new Set(remove);
      const catalog = createTableCatalog({
        compile: (type, name): CompileTableResult => (removed.has(name)
          ? { ok: false, errors: [{ name, text: `${type}:${name}: no table "${name}" is stored` }] }
          : pending.compile(type, name)),
      });
      const built = buildSmtpdSnapshot(mainCf, 0, catalog);
      if (!built.ok) return { errors: built.errors };
      const check = checkPolicy(rows, catalog);
      warnings.push(...check.errors.map((p) => p.text), ...check.warnings.map((p) => p.text));
      return { parameters: rows, tables: write, deleteTables: remove };
    }, actor, `restore revision ${revisionId}`);
    return written.ok ? { ok: true, revisionId: written.revisionId, warnings } : { ok: false, errors: written.errors };
  } finally {
    store.close();
  }
}

// The stored lines of a recorded source, read back as an import reads a source file: a value
// continued on the next line (leading whitespace) stays one stored line.
function linesOf(name: string, kind: TableKind, source: string) {
  return readPostmapLines(source, name).lines.map((line) => splitTableLine(kind, line.text));
}

// A table recorded by digest needs no restore when it holds that very content now.
function isUnchanged(now: { kind: TableKind; lines: { key: string; value: string }[] } | null, then: { kind: TableKind; bytes: number; sha256: string }): boolean {
  if (now === null || now.kind !== then.kind) return false;
  const digest = sourceDigest(now.lines.map((line) => formatTableLine(line) + '\n').join(''));
  return digest.bytes === then.bytes && digest.sha256 === then.sha256;
}
