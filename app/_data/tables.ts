/**
 * The Tables page's reads: the stored tables with their size, last change and the parameters
 * that name them; one page of a table's entries (searched, sorted, paged in SQLite, never the
 * whole table) with the gateway's hit count and last hit of each; the list parameters (mynetworks, relay_domains ...) as stored or defaulted.
 * Server-only; plain objects out, dates as ISO strings.
 * Exports listStoredTables, getTableEntryPage, listListParameters, readTableExport,
 * TABLE_PAGE_SIZE, LIST_PARAMETERS, and their row types.
 */
import 'server-only';
import { MainCf } from '../../server/config/main-cf.ts';
import { getParameterDefinition } from '../../server/config/parameters.ts';
import { splitList } from '../../server/config/parameter-list.ts';
import { loadChangedParameters } from '../../server/config/parameter-store.ts';
import { sendControlRequest } from '../../server/control/control-socket.ts';
import { formatPostmapLines, formatPostmapSource } from '../../server/maps/postmap-source.ts';
import type { TableEntrySort } from '../../server/maps/table-entry-page.ts';
import { formatTableLine, openTableStore, type TableKind } from '../../server/maps/table-store.ts';
import { findTableUsers, type TableUse } from '../../server/policy-files/table-users.ts';
import { getDataDir, getPrisma } from './db.ts';
import { getTableEntryHits } from './traffic.ts';

export const TABLE_PAGE_SIZE = 50;

/** The list parameters the Lists section edits, one item per line. */
export const LIST_PARAMETERS = ['mynetworks', 'mydestination', 'relay_domains', 'permit_mx_backup_networks', 'smtpd_client_event_limit_exceptions'] as const;

export interface StoredTableRow {
  name: string;
  kind: TableKind;
  entries: number;
  updatedAt: string;
  users: TableUse[];
}

/** listStoredTables - every stored table by name, with the parameters that name it. */
export async function listStoredTables(): Promise<StoredTableRow[]> {
  const users = findTableUsers(await loadChangedParameters(getPrisma()));
  const store = openTableStore(getDataDir(), { readonly: true });
  try {
    return store.list().map((t) => ({ ...t, updatedAt: new Date(t.updatedAt).toISOString(), users: users.get(t.name) ?? [] }));
  } finally {
    store.close();
  }
}

export interface TableEntryView {
  name: string;
  kind: TableKind;
  updatedAt: string;
  users: TableUse[];
  total: number;
  matched: number;
  offset: number;
  rows: { position: number; key: string; value: string; hits: number; lastHitAt: string | null }[];
}

/** getTableEntryPage - one page of a table's entries, or null when there is no such table. */
export async function getTableEntryPage(
  name: string, query: { search: string; sort: TableEntrySort; descending: boolean; page: number },
): Promise<TableEntryView | null> {
  const users = findTableUsers(await loadChangedParameters(getPrisma())).get(name) ?? [];
  // The running gateway writes what it counted first, so the hits are current to the second.
  await sendControlRequest(getDataDir(), { command: 'statistics' }, 2000);
  const store = openTableStore(getDataDir(), { readonly: true });
  try {
    const offset = (query.page - 1) * TABLE_PAGE_SIZE;
    const page = store.entryPage(name, { search: query.search, sort: query.sort, descending: query.descending, offset, limit: TABLE_PAGE_SIZE });
    if (page === null) return null;
    const hits = getTableEntryHits(name, page.rows.map((r) => r.key));
    return {
      name, kind: page.kind, updatedAt: new Date(page.updatedAt).toISOString(), users,
      total: page.total, matched: page.matched, offset,
      rows: page.rows.map((r, i) => ({ ...r, hits: hits[i].hits, lastHitAt: hits[i].lastHitAt })),
    };
  } finally {
    store.close();
  }
}

export interface ListParameterRow {
  name: string;
  items: string[];       // the value as stored or defaulted, split as Postfix splits lists
  isDefault: boolean;
  defaultValue: string;
  help: string;
}

/** listListParameters - the list parameters with their current items. */
export async function listListParameters(): Promise<ListParameterRow[]> {
  const mainCf = new MainCf(await loadChangedParameters(getPrisma()));
  return LIST_PARAMETERS.map((name) => {
    const def = getParameterDefinition(name)!;
    return { name, items: splitList(mainCf.raw(name)), isDefault: !mainCf.isChanged(name), defaultValue: def.default, help: def.help };
  });
}

/** readTableExport - a table as the postmap source file `portcullis export` writes for it, or null. */
export function readTableExport(name: string): string | null {
  const store = openTableStore(getDataDir(), { readonly: true });
  try {
    const table = store.read(name);
    if (table === null) return null;
    return table.kind === 'exact' ? formatPostmapSource(table.lines) : formatPostmapLines(table.lines.map(formatTableLine));
  } finally {
    store.close();
  }
}
