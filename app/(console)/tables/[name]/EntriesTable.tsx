/** One page of entries with sortable column headers (links) and the pager; each row edits in place. */
import Link from 'next/link';
import type { ReactNode } from 'react';
import { buttonClass } from '../../../_components/button-class.ts';
import type { TableEntrySort } from '../../../../server/maps/table-entry-page.ts';
import { DataTable, EmptyState, Th } from '../../../_components/ui.tsx';
import type { TableEntryView } from '../../../_data/tables.ts';
import { tablePath } from '../table-path.ts';
import { EntryRow } from './EntryRow.tsx';

type Query = { search: string; sort: TableEntrySort; descending: boolean; page: number };

export function EntriesTable({ view, query, pageSize, canChange }: { view: TableEntryView; query: Query; pageSize: number; canChange: boolean }) {
  if (view.total === 0) return <EmptyState title="This table is empty">Add an entry or import a postmap source file.</EmptyState>;
  if (view.matched === 0) return <EmptyState title={`No entry matches “${query.search}”`}>Search looks for the text anywhere in keys and values, in any case.</EmptyState>;
  const pattern = view.kind === 'regexp' || view.kind === 'pcre';
  const pages = Math.max(1, Math.ceil(view.matched / pageSize));
  const header = (sort: TableEntrySort, label: string, className = '') => {
    const active = query.sort === sort;
    const desc = active && !query.descending;
    return (
      <Th className={className}>
        <Link href={tablePath(view.name, { q: query.search, sort, desc })} className="inline-flex items-center gap-1 hover:text-slate-900" aria-sort={active ? (query.descending ? 'descending' : 'ascending') : undefined}>
          {label}{active ? <span aria-hidden>{query.descending ? '↓' : '↑'}</span> : null}
        </Link>
      </Th>
    );
  };
  const first = view.offset + 1;
  const last = view.offset + view.rows.length;
  return (
    <>
      <DataTable caption={`Entries of ${view.name}`}>
        <thead>
          <tr>
            {header('position', '#', 'w-16')}
            {header('key', pattern ? 'Pattern' : view.kind === 'cidr' ? 'Network' : 'Key')}
            {header('value', pattern ? 'Action' : 'Value')}
            <Th className="text-right">Hits</Th>
            <Th>Last hit</Th>
            {canChange ? <Th className="text-right">Actions</Th> : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {view.rows.map((row) => (
            <EntryRow key={`${row.position}-${row.key}-${row.value}`} table={view.name} kind={view.kind} row={row} canChange={canChange} />
          ))}
        </tbody>
      </DataTable>
      <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
        <p data-testid="entry-count">
          {first.toLocaleString('en-US')}–{last.toLocaleString('en-US')} of {view.matched.toLocaleString('en-US')}
          {query.search ? ` matching (${view.total.toLocaleString('en-US')} in the table)` : ''}
        </p>
        <div className="flex items-center gap-2">
          <PageLink to={query.page > 1 ? tablePath(view.name, { q: query.search, sort: query.sort, desc: query.descending, page: query.page - 1 }) : null}>← Previous</PageLink>
          <span className="tabular-nums">Page {query.page.toLocaleString('en-US')} of {pages.toLocaleString('en-US')}</span>
          <PageLink to={query.page < pages ? tablePath(view.name, { q: query.search, sort: query.sort, desc: query.descending, page: query.page + 1 }) : null}>Next →</PageLink>
        </div>
      </nav>
    </>
  );
}

function PageLink({ to, children }: { to: string | null; children: ReactNode }) {
  if (to === null) return <span className={`${buttonClass('secondary', 'sm')} opacity-50`} aria-disabled>{children}</span>;
  return <Link href={to} className={buttonClass('secondary', 'sm')}>{children}</Link>;
}
