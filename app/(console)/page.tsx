import type { Metadata } from 'next';
import { Card, PageHeader } from '../_components/ui.tsx';
import { getGatewayStatus } from '../_data/gateway.ts';
import { requirePageSession } from '../_data/session.ts';
import { getTrafficDashboard } from '../_data/traffic.ts';
import { formatDateTime } from '../_lib/format.ts';
import { parseRange, RangeTabs } from './RangeTabs.tsx';
import { TrafficOverview } from './TrafficOverview.tsx';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageSession();
  const range = parseRange((await searchParams).range);
  const gateway = await getGatewayStatus();
  const traffic = await getTrafficDashboard(range);
  return (
    <>
      <PageHeader title="Dashboard" description="The gateway at a glance: its traffic, rejects and queue." actions={<RangeTabs current={range} />} />
      <div className="space-y-6">
        <Card title="Gateway">
          {gateway.running ? (
            <dl className="grid gap-4 text-sm sm:grid-cols-3">
              <div><dt className="text-slate-500">Policy revision</dt><dd className="text-lg font-semibold">{gateway.revision}</dd></div>
              <div><dt className="text-slate-500">Taken</dt><dd className="text-lg font-semibold">{formatDateTime(gateway.takenAt)}</dd></div>
              <div><dt className="text-slate-500">SMTP sessions now</dt><dd className="text-lg font-semibold">{gateway.connections}</dd></div>
              <div className="sm:col-span-3"><dt className="text-slate-500">Listening on</dt><dd className="break-all font-mono">{gateway.listeners.join(', ')}</dd></div>
            </dl>
          ) : <p className="text-sm text-red-700">The gateway is not reachable: {gateway.error}</p>}
        </Card>
        <TrafficOverview traffic={traffic} />
      </div>
    </>
  );
}
