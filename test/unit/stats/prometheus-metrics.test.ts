/**
 * The Prometheus text exposition of the traffic totals (server/stats/prometheus-metrics.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPrometheusMetrics } from '../../../server/stats/prometheus-metrics.ts';

test('counters render as _total families with HELP and TYPE, rejects labelled by stage and restriction', () => {
  const text = renderPrometheusMetrics([
    { counter: 'connections', label: '', value: 12 },
    { counter: 'rejects', label: 'rcpt reject_unauth_destination', value: 3 },
    { counter: 'rejects', label: 'connect hash:client_access', value: 1 },
    { counter: 'content_rejects', label: 'body_checks', value: 2 },
    { counter: 'queue_messages', label: 'deferred', value: 4 },
  ]);
  const lines = text.split('\n');
  assert.ok(lines.includes('# TYPE portcullis_connections_total counter'), text);
  assert.ok(lines.includes('portcullis_connections_total 12'), text);
  assert.ok(lines.includes('portcullis_rejects_total{stage="rcpt",restriction="reject_unauth_destination"} 3'), text);
  assert.ok(lines.includes('portcullis_rejects_total{stage="connect",restriction="hash:client_access"} 1'), text);
  assert.ok(lines.includes('portcullis_content_rejects_total{check="body_checks"} 2'), text);
  assert.ok(lines.includes('# TYPE portcullis_queue_messages gauge'), text);
  assert.ok(lines.includes('portcullis_queue_messages{queue="deferred"} 4'), text);
  assert.ok(lines.some((l) => /^# HELP portcullis_rejects_total \S/.test(l)), text);
  assert.ok(text.endsWith('\n'));
});

test('before any traffic, every unlabelled counter and every queue is there at 0', () => {
  const lines = renderPrometheusMetrics([]).split('\n');
  for (const family of ['connections', 'messages_accepted', 'recipients_delivered', 'recipients_deferred', 'recipients_bounced']) {
    assert.ok(lines.includes(`portcullis_${family}_total 0`), family);
  }
  for (const queue of ['incoming', 'active', 'deferred', 'hold', 'corrupt']) assert.ok(lines.includes(`portcullis_queue_messages{queue="${queue}"} 0`), queue);
  assert.ok(!lines.some((l) => l.startsWith('portcullis_rejects_total')), 'no reject series before a reject');
});

test('per-client reject counts are never exported', () => {
  const text = renderPrometheusMetrics([{ counter: 'client_rejects', label: '192.0.2.1', value: 9 }]);
  assert.ok(!text.includes('192.0.2.1'), text);
  assert.ok(!text.includes('client_rejects'), text);
});

test('quotes and backslashes in a label value are escaped', () => {
  const text = renderPrometheusMetrics([{ counter: 'rejects', label: 'rcpt regexp:{/a"b\\/}', value: 1 }]);
  assert.ok(text.includes('restriction="regexp:{/a\\"b\\\\/}"} 1'), text);
});
