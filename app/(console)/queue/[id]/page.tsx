import type { Metadata } from 'next';
import Link from 'next/link';
import { Fragment } from 'react';
import { canActOnQueue } from '../../../../server/accounts/console-role.ts';
import { Badge, Card, EmptyState, PageHeader } from '../../../_components/ui.tsx';
import { buttonClass } from '../../../_components/button-class.ts';
import { getQueueMessage } from '../../../_data/queue.ts';
import { requirePageSession } from '../../../_data/session.ts';
import { formatDateTime } from '../../../_lib/format.ts';
import { MessageActions } from './MessageActions.tsx';

export const metadata: Metadata = { title: 'Queued message' };

// What the page shows of a body: enough to recognise a message, not a mail reader.
const BODY_PREVIEW_BYTES = 64 * 1024;

export default async function QueueMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requirePageSession();
  const { id } = await params;
  const shown = await getQueueMessage(id);
  if (!shown.ok) {
    return (
      <>
        <PageHeader title={`Message ${id}`} actions={<Link href="/queue" className={buttonClass('secondary')}>Back to the queue</Link>} />
        <EmptyState title="This message is not in the queue">{shown.error}. It may have been delivered or deleted meanwhile.</EmptyState>
      </>
    );
  }
  const { listing, envelope, content } = shown.message;
  const text = content.toString('latin1');
  const split = text.search(/\r?\n\r?\n/);
  const headers = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split).replace(/^\r?\n\r?\n/, '');
  const attributes = Object.entries(envelope.attributes);
  return (
    <>
      <PageHeader
        title={`Message ${listing.id}`}
        description={<>In the <Badge tone={listing.state === 'hold' ? 'bad' : listing.state === 'deferred' ? 'warn' : 'neutral'}>{listing.state}</Badge> queue since {formatDateTime(new Date(listing.arrivalTime))}</>}
        actions={<>
          <Link href={`/log?queueId=${listing.id}`} className={buttonClass('secondary')}>Its log lines</Link>
          <Link href="/queue" className={buttonClass('secondary')}>Back to the queue</Link>
        </>}
      />
      {canActOnQueue(session.user.role) && listing.state !== 'active' ? <div className="mb-6"><MessageActions id={listing.id} state={listing.state} /></div> : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Envelope">
          <dl className="grid grid-cols-[9rem_1fr] gap-x-3 gap-y-2 text-sm">
            <dt className="text-slate-500">Sender</dt><dd className="break-all font-mono text-xs">{envelope.sender ? `<${envelope.sender}>` : 'MAILER-DAEMON (<>)'}</dd>
            <dt className="text-slate-500">Size</dt><dd>{envelope.size.toLocaleString('en-US')} bytes</dd>
            <dt className="text-slate-500">Client</dt><dd className="break-all font-mono text-xs">{envelope.client.name}[{envelope.client.address}] helo={envelope.client.helo}</dd>
            <dt className="text-slate-500">Attempts</dt><dd>{listing.attempts}{listing.nextAttempt ? `, next ${formatDateTime(new Date(listing.nextAttempt))}` : ''}</dd>
            {envelope.dsn.ret ? <><dt className="text-slate-500">DSN RET</dt><dd>{envelope.dsn.ret}</dd></> : null}
            {envelope.dsn.envid ? <><dt className="text-slate-500">DSN ENVID</dt><dd className="break-all font-mono text-xs">{envelope.dsn.envid}</dd></> : null}
            {attributes.map(([k, v]) => <Fragment key={k}><dt className="text-slate-500">{k}</dt><dd className="break-all font-mono text-xs">{v}</dd></Fragment>)}
          </dl>
        </Card>
        <Card title="Recipients" description="Those not yet delivered, with the reason of the last deferral.">
          <ul className="space-y-2 font-mono text-xs">
            {listing.recipients.map((r) => (
              <li key={r.address} className="break-all">
                {r.address}
                {r.reason ? <div className="font-sans text-sm text-amber-800">{r.reason}</div> : null}
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Headers" className="lg:col-span-2">
          <pre className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-3 font-mono text-xs">{headers}</pre>
        </Card>
        <Card title="Body" description={body.length > BODY_PREVIEW_BYTES ? `The first ${BODY_PREVIEW_BYTES / 1024} KB of ${Math.ceil(body.length / 1024)} KB.` : undefined} className="lg:col-span-2">
          <pre className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-3 font-mono text-xs">{body.slice(0, BODY_PREVIEW_BYTES) || '(empty)'}</pre>
        </Card>
      </div>
    </>
  );
}
