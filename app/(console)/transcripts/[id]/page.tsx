import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranscript } from '../../../../server/notify/search-transcripts.ts';
import { Badge, Card, PageHeader } from '../../../_components/ui.tsx';
import { buttonClass } from '../../../_components/button-class.ts';
import { getPrisma } from '../../../_data/db.ts';
import { requirePageSession } from '../../../_data/session.ts';
import { formatDateTime } from '../../../_lib/format.ts';
import { classTone } from '../class-tone.ts';
import { markRefusal } from './mark-refusal.ts';

export const metadata: Metadata = { title: 'Transcript' };

export default async function TranscriptPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageSession();
  const t = await getTranscript(getPrisma(), Number((await params).id));
  if (!t) notFound();
  const marks = markRefusal(t.lines, t.reply);
  return (
    <>
      <PageHeader
        title={`Session from ${t.clientName}[${t.clientAddress}]`}
        description={`Ended ${formatDateTime(t.endedAt)}`}
        actions={<>
          <Link href={`/simulator?transcript=${t.id}`} className={buttonClass('primary')}>Replay in simulator</Link>
          <Link href="/transcripts" className={buttonClass('secondary')}>All transcripts</Link>
        </>}
      />
      <div className="grid gap-6 lg:grid-cols-[20rem_1fr]">
        <Card title="Session">
          <dl className="space-y-3 text-sm">
            <div><dt className="text-slate-500">Class</dt><dd className="mt-0.5 flex gap-1">{t.classes.map((c) => <Badge key={c} tone={classTone(c)}>{c}</Badge>)}</dd></div>
            <div><dt className="text-slate-500">Rule that fired</dt><dd data-testid="transcript-restriction" className="font-mono font-semibold text-red-800">{t.restriction ?? '— (protocol)'}</dd></div>
            <div><dt className="text-slate-500">Reply</dt><dd className="break-words font-mono text-xs">{t.reply ?? '—'}</dd></div>
            <div><dt className="text-slate-500">HELO</dt><dd className="break-all font-mono text-xs">{t.helo ?? '—'}</dd></div>
            <div><dt className="text-slate-500">Sender</dt><dd className="break-all font-mono text-xs">{t.sender === null ? '—' : `<${t.sender}>`}</dd></div>
            <div><dt className="text-slate-500">Recipients</dt><dd className="break-all font-mono text-xs">{t.recipients.length ? t.recipients.join(', ') : '—'}</dd></div>
          </dl>
        </Card>
        <Card title="Transcript" description="C: lines from the client, S: lines from the gateway, times in UTC. Message content and AUTH exchanges are never recorded.">
          <ol className="overflow-x-auto font-mono text-xs leading-relaxed" aria-label="Session lines">
            {t.lines.map((line, i) => {
              const mark = marks[i];
              const tone = mark === 'refused' ? 'bg-red-50 text-red-900 ring-1 ring-inset ring-red-200'
                : mark === 'command' ? 'bg-amber-50 text-amber-900 ring-1 ring-inset ring-amber-200'
                : line.dir === 'in' ? 'text-slate-900' : 'text-slate-500';
              return (
                <li key={i} data-mark={mark ?? undefined} className={`flex flex-wrap gap-x-3 rounded px-2 py-0.5 ${tone}`}>
                  <span className="shrink-0 select-none text-slate-400">{line.at.slice(11, 23)}</span>
                  <span className={`shrink-0 select-none font-semibold ${line.dir === 'in' ? 'text-indigo-700' : 'text-slate-400'}`}>{line.dir === 'in' ? 'C:' : 'S:'}</span>
                  <span className="min-w-0 flex-1 whitespace-pre-wrap break-all">{line.text}</span>
                  {mark === 'refused' ? <span className="w-full font-sans font-semibold text-red-700 sm:w-auto sm:shrink-0">refused{t.restriction ? ` by ${t.restriction}` : ''}</span> : null}
                </li>
              );
            })}
          </ol>
        </Card>
      </div>
    </>
  );
}
