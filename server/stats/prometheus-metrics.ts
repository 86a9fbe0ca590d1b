/**
 * The traffic totals in Prometheus's text exposition format (version 0.0.4), as /metrics
 * serves them: `portcullis_connections_total 12`, `portcullis_rejects_total{stage="rcpt",
 * restriction="reject_unauth_destination"} 3`, `portcullis_queue_messages{queue="deferred"} 1`,
 * each family with its HELP and TYPE lines.
 * Exports: PROMETHEUS_CONTENT_TYPE, renderPrometheusMetrics.
 * Reads no parameters; a pure function of the stored totals (read-traffic.ts readTrafficTotals).
 * Per-client reject counts are not exported: one series per address would swamp the server.
 */
import { QUEUE_STATES } from '../queue/index.ts';
import { splitRejectLabel, TRAFFIC_COUNTERS, type TrafficCounterName } from './traffic-counters.ts';
import type { TrafficTotalRow } from './read-traffic.ts';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** renderPrometheusMetrics - every exported family, unlabelled counters at 0 and every queue listed even before traffic. */
export function renderPrometheusMetrics(totals: readonly TrafficTotalRow[]): string {
  const byCounter = new Map<string, TrafficTotalRow[]>();
  for (const r of totals) {
    const rows = byCounter.get(r.counter) ?? [];
    rows.push(r);
    byCounter.set(r.counter, rows);
  }
  let out = '';
  for (const [counter, definition] of Object.entries(TRAFFIC_COUNTERS) as [TrafficCounterName, (typeof TRAFFIC_COUNTERS)[TrafficCounterName]][]) {
    if (counter === 'client_rejects') continue;
    const gauge = definition.kind === 'gauge';
    const family = `portcullis_${counter}${gauge ? '' : '_total'}`;
    out += `# HELP ${family} ${escapeHelp(definition.help)}\n# TYPE ${family} ${definition.kind}\n`;
    const rows = byCounter.get(counter) ?? [];
    if (counter === 'queue_messages') {
      for (const queue of QUEUE_STATES) {
        out += `${family}{queue="${queue}"} ${rows.find((r) => r.label === queue)?.value ?? 0}\n`;
      }
    } else if (definition.label === null) {
      out += `${family} ${rows.reduce((sum, r) => sum + r.value, 0)}\n`;
    } else {
      for (const r of rows) out += `${family}{${labelsOf(counter, r.label)}} ${r.value}\n`;
    }
  }
  return out;
}

function labelsOf(counter: TrafficCounterName, label: string): string {
  if (counter === 'rejects') {
    const { stage, restriction } = splitRejectLabel(label);
    return `stage="${escapeLabel(stage)}",restriction="${escapeLabel(restriction)}"`;
  }
  return `${TRAFFIC_COUNTERS[counter].label}="${escapeLabel(label)}"`;
}

// The exposition format's escapes: backslash, double quote and newline in label values.
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
