import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { canChangePolicy } from '../../../../server/accounts/console-role.ts';
import { getRevisionDiff, type TableDiff } from '../../../../server/policy-files/policy-history.ts';
import { Badge, Card, DataTable, EmptyState, PageHeader, Td, Th } from '../../../_components/ui.tsx';
import { getPrisma } from '../../../_data/db.ts';
import { requirePageSession } from '../../../_data/session.ts';
import { formatDateTime } from '../../../_lib/format.ts';
import { RestoreButton } from './RestoreButton.tsx';

export const metadata: Metadata = { title: 'Revision' };

const CHANGE_TONE = { added: 'good', created: 'good', changed: 'info', removed: 'bad', deleted: 'bad' } as const;

export default async function RevisionPage({ params }: { params: Promise<{ revisionId: string }> }) {
  const session = await requirePageSession();
  const id = Number((await params).revisionId);
  if (!Number.isInteger(id) || id <= 0) notFound();
  const diff = await getRevisionDiff(getPrisma(), id);
  if (diff === null) notFound();
  const nothing = (diff.parameters === null || diff.parameters.length === 0) && diff.tables.length === 0;
  return (
    <>
      <PageHeader
        title={`Revision #${diff.id}`}
        description={<>{formatDateTime(diff.createdAt)} by <strong>{diff.actor}</strong>: <code className="break-all">{diff.summary}</code></>}
        actions={(
          <nav aria-label="Revisions" className="flex gap-4 text-sm">
            {diff.previousId !== null ? <Link href={`/history/${diff.previousId}`} className="text-indigo-700 hover:underline">Revision #{diff.previousId}</Link> : null}
            <Link href="/history" className="text-indigo-700 hover:underline">All revisions</Link>
          </nav>
        )}
      />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          {nothing ? <EmptyState title="This revision recorded no change." /> : null}
          {diff.parameters && diff.parameters.length ? (
            <Card title="Parameters" description={diff.previousId ? `Against revision #${diff.previousId}.` : 'Against Postfix\'s defaults.'}>
              <DataTable caption="Parameters changed">
                <thead><tr><Th>Parameter</Th><Th>Change</Th><Th>Before</Th><Th>After</Th></tr></thead>
                <tbody className="divide-y divide-slate-100">
                  {diff.parameters.map((p) => (
                    <tr key={p.name}>
                      <Td><code className="font-medium">{p.name}</code></Td>
                      <Td><Badge tone={CHANGE_TONE[p.change]}>{p.change}</Badge></Td>
                      <Td><code className="break-all text-xs text-red-800">{p.before ?? <span className="text-slate-400">default</span>}</code></Td>
                      <Td><code className="break-all text-xs text-emerald-800">{p.after ?? <span className="text-slate-400">default</span>}</code></Td>
                    </tr>
                  ))}
                </tbody>
              </DataTable>
            </Card>
          ) : null}
          {diff.tables.map((t) => <TableDiffCard key={t.name} table={t} />)}
        </div>
        <Card title="Restore">
          {canChangePolicy(session.user.role) ? (
            <RestoreButton revisionId={diff.id} />
          ) : (
            <p className="text-sm text-slate-600">Only administrators can restore a revision.</p>
          )}
        </Card>
      </div>
    </>
  );
}

function TableDiffCard({ table }: { table: TableDiff }) {
  const kind = table.kindBefore && table.kindAfter && table.kindBefore !== table.kindAfter
    ? `${table.kindBefore} → ${table.kindAfter}` : (table.kindAfter ?? table.kindBefore);
  return (
    <Card title={<>Table <code>{table.name}</code> <Badge tone={CHANGE_TONE[table.change]}>{table.change}</Badge></>} description={kind ?? undefined}>
      {table.hunks === null ? (
        <p className="text-sm text-slate-600">
          Too large for the history to keep its lines; recorded as {table.before ? <code>{table.before}</code> : 'its lines'} before
          and {table.after ? <code>{table.after}</code> : 'its lines'} after.
        </p>
      ) : table.hunks.length === 0 ? (
        <p className="text-sm text-slate-600">No line changed.</p>
      ) : (
        <div className="overflow-x-auto rounded-md border border-slate-200">
          <table className="min-w-full font-mono text-xs">
            <caption className="sr-only">Changes to {table.name}</caption>
            <tbody>
              {table.hunks.map((h, i) => (
                <HunkRows key={i} hunk={h} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function HunkRows({ hunk }: { hunk: NonNullable<TableDiff['hunks']>[number] }) {
  return (
    <>
      <tr className="bg-slate-50 text-slate-500">
        <td colSpan={3} className="px-2 py-1">@@ -{hunk.oldStart},{hunk.oldLines} +{hunk.newStart},{hunk.newLines} @@</td>
      </tr>
      {hunk.lines.map((l, i) => (
        <tr key={i} className={l.kind === 'added' ? 'bg-emerald-50 text-emerald-900' : l.kind === 'removed' ? 'bg-red-50 text-red-900' : 'text-slate-700'}>
          <td className="w-10 select-none px-2 text-right text-slate-400">{l.oldLine ?? ''}</td>
          <td className="w-10 select-none px-2 text-right text-slate-400">{l.newLine ?? ''}</td>
          <td className="whitespace-pre px-2">
            <span className="select-none" aria-hidden>{l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}</span>
            <span className="sr-only">{l.kind === 'added' ? 'added: ' : l.kind === 'removed' ? 'removed: ' : ''}</span>
            {l.text}
          </td>
        </tr>
      ))}
    </>
  );
}
