import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { canChangePolicy } from '../../../../server/accounts/console-role.ts';
import { TABLE_ENTRY_SORTS, type TableEntrySort } from '../../../../server/maps/table-entry-page.ts';
import { buttonClass } from '../../../_components/button-class.ts';
import { Badge, Card, PageHeader } from '../../../_components/ui.tsx';
import { requirePageSession } from '../../../_data/session.ts';
import { getTableEntryPage, TABLE_PAGE_SIZE } from '../../../_data/tables.ts';
import { formatDateTime } from '../../../_lib/format.ts';
import { tableExportPath } from '../table-path.ts';
import { AddEntryForm } from './AddEntryForm.tsx';
import { DeleteTableForm } from './DeleteTableForm.tsx';
import { EntriesTable } from './EntriesTable.tsx';
import { EntrySearch } from './EntrySearch.tsx';
import { ImportForm } from './ImportForm.tsx';

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Table ${decodeURIComponent((await params).name)}` };
}

const KIND_HELP = {
  exact: 'Exact table (hash, btree, lmdb, cdb, texthash): one entry per key, looked up in access(5) key order.',
  cidr: 'CIDR table: networks tried in order, the first match wins.',
  regexp: 'regexp table: POSIX patterns tried in order, the first match wins; if/endif nest.',
  pcre: 'pcre table: Perl patterns tried in order, the first match wins; if/endif nest.',
} as const;

export default async function TablePage({ params, searchParams }: Props) {
  const session = await requirePageSession();
  const name = decodeURIComponent((await params).name);
  const sp = await searchParams;
  const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] : v) ?? '';
  const sort: TableEntrySort = (TABLE_ENTRY_SORTS as readonly string[]).includes(one(sp.sort)) ? (one(sp.sort) as TableEntrySort) : 'position';
  const query = { search: one(sp.q).slice(0, 200), sort, descending: one(sp.dir) === 'desc', page: Math.max(1, Math.floor(Number(one(sp.page))) || 1) };
  const view = await getTableEntryPage(name, query);
  if (view === null) notFound();
  const canChange = canChangePolicy(session.user.role);
  const ordered = view.kind !== 'exact';
  return (
    <>
      <nav className="mb-2 text-sm"><Link href="/tables" className="text-indigo-700 hover:underline">← Tables</Link></nav>
      <PageHeader
        title={name}
        description={KIND_HELP[view.kind]}
        actions={<a href={tableExportPath(name)} download className={buttonClass('secondary')}>Export postmap source</a>}
      />
      <dl className="mb-6 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <Fact label="Kind"><Badge tone={ordered ? 'info' : 'neutral'}>{view.kind}</Badge></Fact>
        <Fact label="Entries"><span className="tabular-nums">{view.total.toLocaleString('en-US')}</span></Fact>
        <Fact label="Last change">{formatDateTime(view.updatedAt)}</Fact>
        <Fact label="Used by">
          {view.users.length === 0 ? <span className="text-slate-400">no parameter</span>
            : view.users.map((u) => <code key={u.parameter} className="mr-2 block text-xs">{u.parameter} = …{u.spec}</code>)}
        </Fact>
      </dl>
      <div className="grid grid-cols-1 items-start gap-6 2xl:grid-cols-[minmax(0,1fr)_20rem]">
        <Card title="Entries" description={ordered ? 'Rules are tried top to bottom: move them to change the order.' : undefined}>
          <EntrySearch name={name} search={query.search} sort={sort} descending={query.descending} />
          <EntriesTable view={view} query={query} pageSize={TABLE_PAGE_SIZE} canChange={canChange} />
        </Card>
        <div className="grid items-start gap-6 lg:grid-cols-3 2xl:grid-cols-1">
          {canChange ? (
            <>
              <Card title="Add an entry"><AddEntryForm table={name} kind={view.kind} /></Card>
              <Card title="Bulk import" description="Postmap source: pasted or a file. A refused line stores nothing."><ImportForm table={name} /></Card>
              <Card title="Delete table"><DeleteTableForm table={name} users={view.users} /></Card>
            </>
          ) : (
            <Card title="Read-only"><p className="text-sm text-slate-600">Your role reads tables; an administrator changes them.</p></Card>
          )}
        </div>
      </div>
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 shadow-sm">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-slate-900 [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}
