/**
 * /metrics: the gateway's traffic totals for Prometheus (server/stats/prometheus-metrics.ts),
 * to clients in metrics_allowed_networks or carrying the bearer token of metrics.token
 * (server/stats/metrics-access.ts); anything else is 403. No console session is needed or
 * used: a scraper has none (proxy.ts lets the path through). The client address is the
 * X-Forwarded-For the console's own server sets from the connection (console-server.mjs).
 */
import { getDataDir, getPrisma } from '../_data/db.ts';
import { isMetricsRequestAllowed, loadMetricsAccessRule } from '../../server/stats/metrics-access.ts';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheusMetrics } from '../../server/stats/prometheus-metrics.ts';
import { readTrafficTotals } from '../../server/stats/read-traffic.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const rule = await loadMetricsAccessRule(getDataDir(), getPrisma());
  const clientAddress = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || null;
  if (!isMetricsRequestAllowed(rule, { clientAddress, authorization: request.headers.get('authorization') })) {
    return new Response('403 Forbidden: not in metrics_allowed_networks and no valid bearer token\n', {
      status: 403, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
  return new Response(renderPrometheusMetrics(readTrafficTotals(getDataDir())), {
    headers: { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' },
  });
}
