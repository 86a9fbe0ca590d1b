'use server';
/**
 * Tables page actions (canChangePolicy): create and delete a table, add, change, delete and
 * move one entry, bulk import (replace or merge), and save a list parameter. Each parses its
 * form, checks session and role on the server, writes through the table store or the
 * parameter store (which check as the gateway compiles and record the revision with the
 * actor), then tells the gateway, which takes the change for its next SMTP session.
 */
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { canChangePolicy } from '../../../server/accounts/console-role.ts';
import { loadChangedParameters, setParameters } from '../../../server/config/parameter-store.ts';
import { configurationCheck } from '../../../server/gateway/check-configuration.ts';
import { mergeTableLines, readTableImport } from '../../../server/maps/table-import.ts';
import { openTableStore, splitTableLine, TABLE_KINDS, type StoredTableLine, type TableKind, type TableStore } from '../../../server/maps/table-store.ts';
import { findTableUsers } from '../../../server/policy-files/table-users.ts';
import { getDataDir, getPrisma } from '../../_data/db.ts';
import { LIST_PARAMETERS } from '../../_data/tables.ts';
import { notifyGateway } from '../../_data/gateway.ts';
import { requireActionSession } from '../../_data/session.ts';
import type { ActionResult } from '../../_lib/action-result.ts';

/** The import form's outcome: the refused lines, each with its line number, beside the form. */
export type ImportResult = ActionResult & { lines?: { line: number | null; text: string }[] };

const ZTableName = z.string().min(1, 'name the table');
const ZNewTable = z.object({ name: z.string().trim().min(1, 'name the table'), kind: z.enum(TABLE_KINDS, 'choose a kind') });
const ZEntry = z.object({ table: ZTableName, key: z.string().trim().default(''), value: z.string().trim().default(''), line: z.string().trim().default('') });
const ZAddEntry = ZEntry.extend({ at: z.coerce.number().int().min(1).optional().catch(undefined) });
const ZAt = z.object({ table: ZTableName, position: z.coerce.number().int().min(1), expectKey: z.string() });
const ZMove = ZAt.extend({ direction: z.enum(['up', 'down']) });
const ZImport = z.object({ table: ZTableName, mode: z.enum(['replace', 'merge'], 'choose replace or merge'), source: z.string().default('') });
const ZList = z.object({ parameter: z.enum(LIST_PARAMETERS), items: z.string().default('') });

function invalid(error: z.ZodError): ActionResult {
  const issue = error.issues[0];
  return { ok: false, error: issue.message, field: String(issue.path[0]) };
}

function withStore<T>(work: (store: TableStore) => T): T {
  const store = openTableStore(getDataDir());
  try {
    return work(store);
  } finally {
    store.close();
  }
}

// What the gateway runs after a saved change, for the confirmation.
async function saved(what: string, revisionId: number | null): Promise<ActionResult> {
  revalidatePath('/tables', 'layout');
  if (revisionId === null) return { ok: true, message: `${what}: nothing changed` };
  await notifyGateway();
  return { ok: true, message: `${what}: revision ${revisionId}` };
}

// The line an entry form describes: key and value for exact and cidr tables, the whole rule
// line for regexp and pcre (its pattern may hold spaces).
function entryLine(kind: TableKind, form: { key: string; value: string; line: string }): StoredTableLine {
  return kind === 'exact' || kind === 'cidr' ? { key: form.key, value: form.value } : splitTableLine(kind, form.line);
}

// Which form field an entry error belongs to.
function entryField(kind: TableKind, error: string): string {
  if (kind === 'regexp' || kind === 'pcre') return 'line';
  return /value/.test(error) && !/key/.test(error) ? 'value' : 'key';
}

export async function createTableAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const auth = await requireActionSession(canChangePolicy);
  if (!auth.ok) return auth;
  const parsed = ZNewTable.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  const { name, kind } = parsed.data;
  const r = withStore((store) => (store.kindOf(name) !== null
    ? { ok: false as const, errors: [`a table named "${name}" is already stored`] }
    : store.replace(name, kind, [], auth.session.user.name, `table ${name}: created (${kind}, empty)`)));
  if (!r.ok) return { ok: false, error: r.errors[0], field: 'name' };
  return saved(`table ${name} created`, r.revisionId);
}

export async function deleteTableAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const auth = await requireActionSession(canChangePolicy);
  if (!auth.ok) return auth;
  const parsed = z.object({ table: ZTableName }).safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  const { table } = parsed.data;
  // Checked again here, not only on the page: a parameter may have named it since.
  const users = findTableUsers(await loadChangedParameters(getPrisma())).get(table) ?? [];
  if (users.length) {
    return { ok: false, error: `table ${table} is still named by ${users.map((u) => `${u.parameter} (${u.spec})`).join(', ')}: change those parameters first` };
  }
  const r = withStore((store) => store.delete(table, auth.session.user.name));
  if (!r.ok) return { ok: false, error: r.errors[0] };
  if (r.revisionId === null) return { ok: false, error: `no table "${table}" is stored` };
  return saved(`table ${table} deleted`, r.revisionId);
}

export async function addEntryAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const auth = await requireActionSession(canChangePolicy);
  if (!auth.ok) return auth;
  const parsed = ZAddEntry.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  const { table, at } = parsed.data;
  const r = withStore((store) => {
    const kind = store.kindOf(table);
    if (kind === null) return { kind, result: { ok: false as const, errors: [`no table "${table}" is stored`] } };
    return { kind, result: store.changeEntry(table, { op: 'add', line: entryLine(kind, parsed.data), at }, auth.session.user.name) };
  });
  if (!r.result.ok) return { ok: false, error: r.result.errors[0], field: r.kind === null ? undefined : entryField(r.kind, r.result.errors[0]) };
  return saved(`added entry ${r.result.position}`, r.result.revisionId);
}

export async function changeEntryAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const auth = await requireActionSession(canChangePolicy);
  if (!auth.ok) return auth;
  const parsed = ZAt.merge(ZEntry).safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  const { table, position, expectKey } = parsed.data;
  const r = withStore((store) => {
    const kind = store.kindOf(table);
    if (kind === null) return { kind, result: { ok: false as const, errors: [`no table "${table}" is stored`] } };
    return { kind, result: store.changeEntry(table, { op: 'change', position, expectKey, line: entryLine(kind, parsed.data) }, auth.session.user.name) };
  });
  if (!r.result.ok) return { ok: false, error: r.result.errors[0], field: r.kind === null ? undefined : entryField(r.kind, r.result.errors[0]) };
  return saved(`entry ${position} saved`, r.result.revisionId);
}

export async function deleteEntryAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const auth = await requireActionSession(canChangePolicy);
  if (!auth.ok) return auth;
  const parsed = ZAt.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  const { table, position, expectKey } = parsed.data;
  const r = withStore((store) => store.changeEntry(table, { op: 'delete', position, expectKey }, auth.session.user.name));
  if (!r.ok) return { ok: false, error: r.errors[0] };
  return saved(`entry ${position} "${expectKey}" deleted`, r.revisionId);
}

export async function moveEntryAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const auth = await requireActionSession(canChangePolicy);
  if (!auth.ok) return auth;
  const parsed = ZMove.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  const { table, position, expectKey, direction } = parsed.data;
  const r = withStore((store) => store.changeEntry(table, { op: 'move', position, expectKey, direction }, auth.session.user.name));
  if (!r.ok) return { ok: false, error: r.errors[0] };
  return saved(`entry "${expectKey}" moved ${direction}`, r.revisionId);
}

export async function importTableAction(_prev: ImportResult | null, form: FormData): Promise<ImportResult> {
  const auth = await requireActionSession(canChangePolicy);
  if (!auth.ok) return auth;
  // An uploaded file, when one was chosen, stands for the pasted text.
  const file = form.get('file');
  const uploaded = file instanceof File && file.size > 0 ? await file.text() : null;
  const parsed = ZImport.safeParse({ table: form.get('table'), mode: form.get('mode'), source: uploaded ?? form.get('source') ?? '' });
  if (!parsed.success) return invalid(parsed.error);
  const { table, mode, source } = parsed.data;
  if (source.trim() === '') return { ok: false, error: 'paste the table or choose a file', field: 'source' };
  const r = withStore((store) => {
    const current = store.read(table);
    if (current === null) return { ok: false as const, errors: [{ line: null, text: `no table "${table}" is stored` }] };
    const read = readTableImport(table, current.kind, source);
    if (!read.ok) return read;
    const lines = mode === 'merge' ? mergeTableLines(current.kind, current.lines, read.lines) : read.lines;
    const summary = `table ${table}: ${mode === 'merge' ? `merged ${read.lines.length} imported entries` : `replaced by import (${lines.length} entries)`}`;
    const written = store.replace(table, current.kind, lines, auth.session.user.name, summary);
    return written.ok ? { ...written, count: read.lines.length } : { ok: false as const, errors: written.errors.map((text) => ({ line: null, text })) };
  });
  if (!r.ok) {
    const n = r.errors.length;
    return { ok: false, error: `nothing imported: ${n} ${n === 1 ? 'line was' : 'lines were'} refused`, field: 'source', lines: r.errors.slice(0, 100) };
  }
  return saved(`${mode === 'merge' ? 'merged' : 'imported'} ${r.count} entries`, r.revisionId);
}

export async function saveListAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const auth = await requireActionSession(canChangePolicy);
  if (!auth.ok) return auth;
  const parsed = ZList.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(parsed.error);
  const { parameter, items } = parsed.data;
  const value = items.split('\n').map((item) => item.trim()).filter(Boolean).join(' ');
  const r = await setParameters(getPrisma(), { [parameter]: value }, auth.session.user.name, `${parameter} = ${value}`, configurationCheck(getDataDir()));
  if (!r.ok) return { ok: false, error: r.errors.map((e) => e.error).join('; '), field: 'items' };
  return saved(`${parameter} saved`, r.revisionId);
}
