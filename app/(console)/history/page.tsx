import type { Metadata } from 'next';
import Link from 'next/link';
import { listRevisions } from '../../../server/policy-files/policy-history.ts';
import { Badge, Card, DataTable, EmptyState, PageHeader, Td, Th } from '../../_components/ui.tsx';
import { Pager } from '../../_components/pager.tsx';
import { getPrisma } from '../../_data/db.ts';
import { getGatewayStatus } from '../../_data/gateway.ts';
import { requirePageSession } from '../../_data/session.ts';
import { formatDateTime } from '../../_lib/format.ts';
import { hrefWith, pageParam, type SearchParams } from '../../_lib/search-params.ts';

export const metadata: Metadata = { title: 'History' };

export default async function HistoryPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageSession();
  const page = pageParam(await searchParams);
  const [history, gateway] = await Promise.all([
    listRevisions(getPrisma(), { page, pageSize: 25 }),
    getGatewayStatus(),
  ]);
  const running = gateway.running ? gateway.revision : null;
  return (
    <>
      <PageHeader
        title="History"
        description="Every change to the policy, newest first: who made it, when, and what it changed. Open a revision to see its diff and to restore the policy as it left it."
      />
      <Card title={`Revisions (${history.total})`}>
        {history.revisions.length === 0 ? (
          <EmptyState title={history.total === 0 ? 'No changes yet' : 'No revisions on this page'}>
            {history.total === 0 ? 'The policy is Postfix\'s defaults; every change made here or with portcullis postconf and import will be listed.' : null}
          </EmptyState>
        ) : (
          <DataTable caption="Policy revisions">
            <thead>
              <tr><Th>Revision</Th><Th>When</Th><Th>Who</Th><Th>What</Th></tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {history.revisions.map((r) => (
                <tr key={r.id} className="hover:bg-slate-50">
                  <Td className="whitespace-nowrap">
                    <Link href={`/history/${r.id}`} className="font-medium text-indigo-700 hover:underline">#{r.id}</Link>
                    {r.id === running ? <span className="ml-2"><Badge tone="good">gateway runs this</Badge></span> : null}
                  </Td>
                  <Td className="whitespace-nowrap text-slate-600">{formatDateTime(r.createdAt)}</Td>
                  <Td className="whitespace-nowrap">{r.actor}</Td>
                  <Td><code className="break-all text-xs">{r.summary}</code></Td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
        {history.total > 0 ? (
          <Pager page={history.page} pages={history.pages} total={history.total} noun="revision" href={(p) => hrefWith('/history', { page: p })} />
        ) : null}
      </Card>
    </>
  );
}
