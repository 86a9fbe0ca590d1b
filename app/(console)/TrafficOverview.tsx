/**
 * The traffic part of the dashboard for one range: totals and charts of connections, accepted,
 * rejected, deferred and bounced, the queue sizes now and over the range, rejects by
 * restriction and by SMTP stage, and the most rejected clients. An empty range says so
 * instead of drawing empty charts. Server component over readTrafficDashboard's plain object.
 * Exports TrafficOverview.
 */
import type { TrafficDashboard } from '../../server/stats/read-traffic.ts';
import { QUEUE_STATES } from '../../server/queue/index.ts';
import { Card, DataTable, EmptyState, Td, Th } from '../_components/ui.tsx';
import { formatDateTime } from '../_lib/format.ts';
import { QueueChart, TrafficChart } from './TrafficChart.tsx';
import { RejectsBreakdown } from './RejectsBreakdown.tsx';
import { RANGE_LABELS } from './RangeTabs.tsx';

export function TrafficOverview({ traffic }: { traffic: TrafficDashboard }) {
  const { series, totals, rejects, topRejectedClients, queueSizes } = traffic;
  const chart = { bucketStarts: series.bucketStarts, bucketMinutes: series.bucketMinutes };
  const rejected = series.counters.rejects.map((v, i) => v + series.counters.content_rejects[i]);
  const quiet = Object.values(totals).every((n) => n === 0);
  const queued = QUEUE_STATES.reduce((sum, q) => sum + queueSizes.messages[q], 0);
  return (
    <div className="space-y-6">
      <Card title="Queue now" description={queueSizes.sampledAt ? `Sampled ${formatDateTime(queueSizes.sampledAt)}` : 'Not sampled yet: the gateway counts its queue every minute.'}>
        <dl data-testid="queue-sizes" className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-5">
          {QUEUE_STATES.map((q) => (
            <div key={q}>
              <dt className="text-slate-500">{q}</dt>
              <dd data-testid={`queue-${q}`} className="text-lg font-semibold tabular-nums text-slate-900">{queueSizes.messages[q].toLocaleString('en-US')}</dd>
            </div>
          ))}
        </dl>
      </Card>

      {quiet && queued === 0 ? (
        <EmptyState title={`No traffic in the ${RANGE_LABELS[series.range].toLowerCase()}`}>
          Connections, accepted messages, rejects and deliveries show here as the gateway counts them (written every 10 seconds).
        </EmptyState>
      ) : (
        <>
          <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-3">
            <TrafficChart id="connections" title="Connections" values={series.counters.connections} tone="slate" {...chart} />
            <TrafficChart id="accepted" title="Accepted messages" values={series.counters.messages_accepted} tone="emerald" {...chart} />
            <TrafficChart id="rejected" title="Rejected" values={rejected} tone="red" {...chart} />
            <TrafficChart id="delivered" title="Delivered recipients" values={series.counters.recipients_delivered} tone="indigo" {...chart} />
            <TrafficChart id="deferred" title="Deferred recipients" values={series.counters.recipients_deferred} tone="amber" {...chart} />
            <TrafficChart id="bounced" title="Bounced recipients" values={series.counters.recipients_bounced} tone="red" {...chart} />
          </div>
          <QueueChart queues={series.queues} {...chart} />
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <Card title="Rejects by restriction" description="The step that refused, as written in the restriction list; content checks by parameter.">
              <RejectsBreakdown id="by-restriction" nameLabel="Restriction" rows={rejects.byRestriction.map((r) => ({ name: r.restriction, count: r.count }))} />
            </Card>
            <Card title="Rejects by stage" description="The SMTP command that was refused.">
              <RejectsBreakdown id="by-stage" nameLabel="Stage" rows={rejects.byStage.map((r) => ({ name: r.stage, count: r.count }))} />
            </Card>
          </div>
          <Card title="Most rejected clients">
            {topRejectedClients.length ? (
              <DataTable caption="Most rejected clients">
                <thead><tr><Th>Client address</Th><Th className="text-right">Rejects</Th></tr></thead>
                <tbody data-testid="top-rejected-clients" className="divide-y divide-slate-100">
                  {topRejectedClients.map((c) => (
                    <tr key={c.clientAddress}>
                      <Td className="font-mono text-xs">{c.clientAddress}</Td>
                      <Td className="text-right tabular-nums">{c.count.toLocaleString('en-US')}</Td>
                    </tr>
                  ))}
                </tbody>
              </DataTable>
            ) : <EmptyState title="No client was rejected in this range" />}
          </Card>
          <p className="text-xs text-slate-500">
            Rejected counts requests refused by restrictions ({count(totals.rejects, 'request')}) and messages refused by content
            checks ({count(totals.content_rejects, 'message')}). Held among the accepted: {totals.messages_held.toLocaleString('en-US')};
            accepted and then discarded by a DISCARD action: {totals.messages_discarded.toLocaleString('en-US')}.
          </p>
        </>
      )}
    </div>
  );
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
