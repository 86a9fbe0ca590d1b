import type { Metadata } from 'next';
import { canActOnQueue } from '../../../server/accounts/console-role.ts';
import { QUEUE_STATES, isQueueIdOk, type QueueState } from '../../../server/queue/index.ts';
import { Card, EmptyState, Field, PageHeader, inputClass } from '../../_components/ui.tsx';
import { buttonClass } from '../../_components/button-class.ts';
import { Pager } from '../../_components/pager.tsx';
import { getQueueListing } from '../../_data/queue.ts';
import { requirePageSession } from '../../_data/session.ts';
import { hrefWith, pageParam, textParam, type SearchParams } from '../../_lib/search-params.ts';
import { QueueTable } from './QueueTable.tsx';
import { FlushButton } from './FlushButton.tsx';

export const metadata: Metadata = { title: 'Queue' };

const PAGE_SIZE = 100;
const SHOWN_STATES: readonly QueueState[] = ['active', 'incoming', 'deferred', 'hold', 'corrupt'];

export default async function QueuePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requirePageSession();
  const canAct = canActOnQueue(session.user.role);
  const params = await searchParams;
  const stateParam = textParam(params, 'state');
  const state = (QUEUE_STATES as readonly string[]).includes(stateParam ?? '') ? (stateParam as QueueState) : undefined;
  const text = textParam(params, 'q');
  const deleted = textParam(params, 'deleted');
  const all = await getQueueListing({ states: SHOWN_STATES });
  const counts = Object.fromEntries(SHOWN_STATES.map((s) => [s, all.filter((m) => m.state === s).length]));
  const lowered = text?.toLowerCase();
  const matching = all.filter((m) => (!state || m.state === state)
    && (!lowered || m.id.toLowerCase() === lowered || m.sender.toLowerCase().includes(lowered) || m.recipients.some((r) => r.address.toLowerCase().includes(lowered))));
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const page = Math.min(pageParam(params), pages);
  const shown = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  return (
    <>
      <PageHeader
        title="Queue"
        description="What the gateway accepted and has not delivered yet, as mailq shows it. Active messages are being delivered and are left alone."
        actions={canAct ? <FlushButton /> : undefined}
      />
      {deleted && isQueueIdOk(deleted) ? <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">Deleted {deleted}.</p> : null}
      <ul className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-5" aria-label="Messages by queue">
        {SHOWN_STATES.map((s) => (
          <li key={s}>
            <a href={hrefWith('/queue', { state: s === state ? undefined : s, q: text })}
              className={`block rounded-lg border bg-white px-4 py-3 shadow-sm hover:border-indigo-300 ${s === state ? 'border-indigo-500 ring-1 ring-indigo-500' : 'border-slate-200'}`}>
              <span className="block text-xs font-medium uppercase tracking-wide text-slate-500">{s}</span>
              <span data-testid={`queue-count-${s}`} className="text-2xl font-semibold text-slate-900">{counts[s]}</span>
            </a>
          </li>
        ))}
      </ul>
      <Card>
        <form method="get" action="/queue" className="mb-4 flex flex-wrap items-end gap-3">
          {state ? <input type="hidden" name="state" value={state} /> : null}
          <div className="min-w-64 flex-1">
            <Field label="Queue ID, sender or recipient" htmlFor="q">
              <input id="q" name="q" defaultValue={text} className={inputClass} />
            </Field>
          </div>
          <button type="submit" className={buttonClass('primary')}>Search</button>
          {text || state ? <a href="/queue" className={buttonClass('ghost')}>Clear</a> : null}
        </form>
        {shown.length === 0 ? (
          <EmptyState title={all.length === 0 ? 'Mail queue is empty' : 'No queued message matches'}>
            {all.length === 0 ? 'Everything accepted has been delivered.' : 'Clear the search or pick another queue.'}
          </EmptyState>
        ) : (
          <>
            <QueueTable canAct={canAct} messages={shown.map((m) => ({ ...m, arrival: new Date(m.arrivalTime).toISOString(), nextAttempt: m.nextAttempt ? new Date(m.nextAttempt).toISOString() : null }))} />
            <Pager page={page} pages={pages} total={matching.length} noun="message" href={(p) => hrefWith('/queue', { state, q: text, page: p })} />
          </>
        )}
      </Card>
    </>
  );
}
