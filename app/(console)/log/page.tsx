import type { Metadata } from 'next';
import Link from 'next/link';
import { MAILLOG_SEARCH_LIMITS, searchMaillog } from '../../../server/log/search-maillog.ts';
import { Card, DataTable, EmptyState, Field, PageHeader, Td, Th, inputClass } from '../../_components/ui.tsx';
import { buttonClass } from '../../_components/button-class.ts';
import { getDataDir } from '../../_data/db.ts';
import { requirePageSession } from '../../_data/session.ts';
import { formatDateTime } from '../../_lib/format.ts';
import { hrefWith, textParam, timeParam, type SearchParams } from '../../_lib/search-params.ts';

export const metadata: Metadata = { title: 'Log search' };

const FIELDS = [
  { name: 'queueId', label: 'Queue ID', hint: 'Follows one message through every line' },
  { name: 'client', label: 'Client', hint: '[192.0.2.7] for one address, a name or part of it' },
  { name: 'sender', label: 'Sender', hint: 'Part of the address; <> for the null sender' },
  { name: 'recipient', label: 'Recipient', hint: 'Part of the address' },
] as const;

export default async function LogSearchPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageSession();
  const params = await searchParams;
  const values: Record<string, string | undefined> = Object.fromEntries(
    [...FIELDS.map((f) => f.name), 'since', 'until', 'limit'].map((n) => [n, textParam(params, n)]),
  );
  const asked = Object.values(values).some(Boolean);
  const limit = Number(values.limit) || MAILLOG_SEARCH_LIMITS.defaultLines;
  const result = asked
    ? await searchMaillog(getDataDir(), {
      queueId: values.queueId, client: values.client, sender: values.sender, recipient: values.recipient,
      since: timeParam(params, 'since'), until: timeParam(params, 'until'), limit,
    })
    : null;
  const fieldError = (name: string) => (result && !result.ok && result.field === name ? result.error : null);
  return (
    <>
      <PageHeader title="Log search" description="The maillog (log/maillog and log/maillog.1), newest lines first, as Postfix writes them." />
      <Card className="mb-6">
        <form method="get" action="/log" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {FIELDS.map((f) => (
            <Field key={f.name} label={f.label} htmlFor={`l-${f.name}`} hint={f.hint} error={fieldError(f.name)}>
              <input id={`l-${f.name}`} name={f.name} defaultValue={values[f.name]} className={inputClass} aria-invalid={!!fieldError(f.name)} />
            </Field>
          ))}
          <Field label="Since (UTC)" htmlFor="l-since" error={fieldError('since')}>
            <input id="l-since" name="since" type="datetime-local" defaultValue={values.since} className={inputClass} />
          </Field>
          <Field label="Until (UTC)" htmlFor="l-until" error={fieldError('until')}>
            <input id="l-until" name="until" type="datetime-local" defaultValue={values.until} className={inputClass} />
          </Field>
          <Field label="At most" htmlFor="l-limit" error={fieldError('limit')}>
            <select id="l-limit" name="limit" defaultValue={String(limit)} className={inputClass}>
              {[50, 200, 1000, MAILLOG_SEARCH_LIMITS.maxLines].map((n) => <option key={n} value={n}>{n} lines</option>)}
            </select>
          </Field>
          <div className="flex items-end gap-2">
            <button type="submit" className={buttonClass('primary')}>Search</button>
            {asked ? <a href="/log" className={buttonClass('ghost')}>Clear</a> : null}
          </div>
        </form>
      </Card>
      <Card>
        {!result ? (
          <EmptyState title="Search the maillog">Give a queue ID, client, sender or recipient, or a time range.</EmptyState>
        ) : !result.ok ? (
          <p role="alert" className="text-sm text-red-700">{result.error}</p>
        ) : result.entries.length === 0 ? (
          <EmptyState title="No line matches">{result.files.length ? `Searched ${result.files.join(', ')}.` : 'There is no maillog yet.'}</EmptyState>
        ) : (
          <>
            <p className="mb-3 text-sm text-slate-600">
              {result.entries.length} line{result.entries.length === 1 ? '' : 's'}
              {result.limitReached ? ` (the limit: older lines may match too)` : ''}
              {result.scanLimitReached ? `; reading stopped at ${formatDateTime(result.searchedBackTo)} after ${Math.round(result.scannedBytes / 1048576)} MB` : ''}.
            </p>
            <DataTable caption="Matching maillog lines">
              <thead><tr><Th>Time</Th><Th>Program</Th><Th>Queue ID</Th><Th>Text</Th></tr></thead>
              <tbody className="divide-y divide-slate-100 font-mono text-xs">
                {result.entries.map((e, i) => (
                  <tr key={i} className="hover:bg-slate-50">
                    <Td className="whitespace-nowrap">{e.line.slice(0, 15)}</Td>
                    <Td className="whitespace-nowrap">{e.program}{e.pid !== null ? `[${e.pid}]` : ''}</Td>
                    <Td>{e.queueId ? <Link href={hrefWith('/log', { queueId: e.queueId })} className="text-indigo-700 hover:underline">{e.queueId}</Link> : '—'}</Td>
                    <Td className="min-w-96 break-all">{e.queueId && e.text.startsWith(`${e.queueId}: `) ? e.text.slice(e.queueId.length + 2) : e.text}</Td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          </>
        )}
      </Card>
    </>
  );
}
