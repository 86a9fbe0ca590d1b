import type { Metadata } from 'next';
import Link from 'next/link';
import { searchTranscripts, type TranscriptQuery } from '../../../server/notify/search-transcripts.ts';
import { Badge, Card, DataTable, EmptyState, PageHeader, Td, Th } from '../../_components/ui.tsx';
import { Pager } from '../../_components/pager.tsx';
import { getPrisma } from '../../_data/db.ts';
import { requirePageSession } from '../../_data/session.ts';
import { formatDateTime } from '../../_lib/format.ts';
import { hrefWith, pageParam, textParam, timeParam, type SearchParams } from '../../_lib/search-params.ts';
import { TranscriptFilters } from './TranscriptFilters.tsx';
import { classTone } from './class-tone.ts';

export const metadata: Metadata = { title: 'Transcripts' };

const CLASSES = ['policy', 'protocol', 'resource', 'software'] as const;
const FILTERS = ['since', 'until', 'client', 'sender', 'recipient', 'class', 'restriction'] as const;

export default async function TranscriptsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageSession();
  const params = await searchParams;
  const cls = textParam(params, 'class');
  const query: TranscriptQuery = {
    since: timeParam(params, 'since'),
    until: timeParam(params, 'until'),
    client: textParam(params, 'client'),
    sender: textParam(params, 'sender'),
    recipient: textParam(params, 'recipient'),
    class: (CLASSES as readonly string[]).includes(cls ?? '') ? (cls as TranscriptQuery['class']) : undefined,
    restriction: textParam(params, 'restriction'),
    page: pageParam(params),
  };
  const result = await searchTranscripts(getPrisma(), query);
  const kept = Object.fromEntries(FILTERS.map((f) => [f, textParam(params, f)]));
  const filtered = Object.values(kept).some(Boolean);
  return (
    <>
      <PageHeader
        title="Transcripts"
        description="SMTP sessions in which a client broke policy or protocol, kept for transcript_retention_time whatever notify_classes says."
      />
      <Card className="mb-6">
        <TranscriptFilters values={kept} classes={CLASSES} />
      </Card>
      <Card>
        {result.rows.length === 0 ? (
          <EmptyState title={filtered ? 'No transcript matches these filters' : 'No transcripts yet'}>
            {filtered ? 'Widen the time range or clear a filter.' : 'A session appears here when a client is rejected by a restriction or breaks the protocol.'}
          </EmptyState>
        ) : (
          <>
            <DataTable caption="Session transcripts">
              <thead>
                <tr><Th>Ended</Th><Th>Client</Th><Th>Sender</Th><Th>Recipients</Th><Th>Class</Th><Th>Restriction and reply</Th></tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.rows.map((t) => (
                  <tr key={t.id} className="hover:bg-slate-50">
                    <Td className="whitespace-nowrap">
                      <Link href={`/transcripts/${t.id}`} className="font-medium text-indigo-700 hover:underline">{formatDateTime(t.endedAt)}</Link>
                    </Td>
                    <Td className="font-mono text-xs">{t.clientName}[{t.clientAddress}]<div className="text-slate-500">helo={t.helo ?? '—'}</div></Td>
                    <Td className="min-w-40 max-w-56 break-all font-mono text-xs">{t.sender === null ? '—' : `<${t.sender}>`}</Td>
                    <Td className="min-w-40 max-w-56 break-all font-mono text-xs">{t.recipients.slice(0, 3).join(', ')}{t.recipients.length > 3 ? ` +${t.recipients.length - 3}` : ''}</Td>
                    <Td><div className="flex flex-wrap gap-1">{t.classes.map((c) => <Badge key={c} tone={classTone(c)}>{c}</Badge>)}</div></Td>
                    <Td className="min-w-64">
                      {t.restriction ? <div className="font-mono text-xs font-semibold">{t.restriction}</div> : null}
                      <div className="break-words font-mono text-xs text-slate-600">{t.reply ?? '—'}</div>
                    </Td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
            <Pager page={result.page} pages={result.pages} total={result.total} noun="transcript" href={(page) => hrefWith('/transcripts', { ...kept, page })} />
          </>
        )}
      </Card>
    </>
  );
}
