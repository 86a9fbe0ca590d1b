/**
 * Traffic statistics through a real gateway (server/stats): SMTP sessions on real sockets, a
 * stored access table and header_checks table on a real SQLite file, then the counters and
 * hit counts read back as the console and /metrics read them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { SmtpClient, dataWire } from '../support/smtp-client.ts';
import { startTestGateway } from '../support/gateway.ts';
import { readTrafficDashboard, readTrafficTotals } from '../../server/stats/read-traffic.ts';
import { readTableHits } from '../../server/stats/read-table-hits.ts';
import { renderPrometheusMetrics } from '../../server/stats/prometheus-metrics.ts';
import { sendControlRequest } from '../../server/control/control-socket.ts';

async function sendMessage(port: number, localAddress: string, subject: string): Promise<string[]> {
  const c = await SmtpClient.connect(port, { localAddress });
  try {
    const replies = [await c.read()];
    for (const line of ['EHLO client.example.org', 'MAIL FROM:<a@example.org>', 'RCPT TO:<b@example.net>']) replies.push(await c.command(line));
    if (replies[3]?.code === 250) {
      replies.push(await c.command('DATA'));
      c.write(dataWire(`Subject: ${subject}\n\nhello\n`));
      replies.push(await c.read());
    }
    await c.command('QUIT');
    return replies.map((r) => (r ? `${r.code} ${r.text.split('\n')[0]}` : 'closed'));
  } finally {
    c.close();
  }
}

test('a rejected session, a content reject and an accepted message show in the stored counters, /metrics and the hit counts', async (t) => {
  const gw = await startTestGateway(
    { smtpd_client_restrictions: 'check_client_access hash:clients', header_checks: 'regexp:header_checks' },
    {
      tables: {
        clients: { kind: 'exact', source: '127.0.0.2 REJECT go away\n127.0.0.9 OK\n' },
        header_checks: { kind: 'regexp', source: '/^Subject: buy now/ REJECT no offers\n' },
      },
    },
  );
  t.after(() => gw.stop());

  const refused = await sendMessage(gw.port, '127.0.0.2', 'hi');
  assert.equal(refused[3], '554 <client2.dns.test[127.0.0.2]>: Client host rejected: go away');
  const offer = await sendMessage(gw.port, '127.0.0.1', 'buy now');
  assert.match(offer[5], /^550 /);
  const accepted = await sendMessage(gw.port, '127.0.0.1', 'hello');
  assert.match(accepted[5], /^250 Ok: queued as /);

  await gw.gateway.traffic.sampleQueue();
  gw.gateway.traffic.flush();

  const d = readTrafficDashboard(gw.dataDir, 'hour');
  assert.equal(d.totals.connections, 3);
  assert.equal(d.totals.messages_accepted, 1);
  assert.equal(d.totals.rejects, 1);
  assert.equal(d.totals.content_rejects, 1);
  assert.deepEqual(d.rejects.byStageAndRestriction, [
    { stage: 'rcpt', restriction: 'check_client_access', count: 1 },
    { stage: 'end-of-data', restriction: 'header_checks', count: 1 },
  ]);
  assert.deepEqual(d.topRejectedClients, [{ clientAddress: '127.0.0.1', count: 1 }, { clientAddress: '127.0.0.2', count: 1 }]);
  assert.equal(d.queueSizes.messages.incoming, 1);

  assert.deepEqual(readTableHits(gw.dataDir, 'clients', ['127.0.0.2', '127.0.0.9']).map((h) => [h.key, h.hits]), [['127.0.0.2', 1], ['127.0.0.9', 0]]);
  assert.deepEqual(readTableHits(gw.dataDir, 'header_checks', ['/^Subject: buy now/']).map((h) => h.hits), [1]);

  const metrics = renderPrometheusMetrics(readTrafficTotals(gw.dataDir)).split('\n');
  assert.ok(metrics.includes('portcullis_connections_total 3'), metrics.join('\n'));
  assert.ok(metrics.includes('portcullis_messages_accepted_total 1'), metrics.join('\n'));
  assert.ok(metrics.includes('portcullis_rejects_total{stage="rcpt",restriction="check_client_access"} 1'), metrics.join('\n'));
  assert.ok(metrics.includes('portcullis_queue_messages{queue="incoming"} 1'), metrics.join('\n'));
});

test('what was counted after the last flush is written when the gateway stops', async (t) => {
  const gw = await startTestGateway();
  let stopped = false;
  t.after(async () => {
    if (!stopped) return gw.stop();
    await gw.dns.stop();
    fs.rmSync(gw.dataDir, { recursive: true, force: true });
  });
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  await c.command('QUIT');
  c.close();
  await gw.gateway.stop();
  stopped = true;
  assert.equal(readTrafficDashboard(gw.dataDir, 'hour').totals.connections, 1);
});

test('a statistics request on the control socket makes the gateway write its counters and queue sizes at once', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  await c.read();
  await c.command('QUIT');
  c.close();
  assert.equal(readTrafficDashboard(gw.dataDir, 'hour').totals.connections, 0, 'not written before the request');
  const reply = await sendControlRequest(gw.dataDir, { command: 'statistics' });
  assert.ok(reply.ok, JSON.stringify(reply));
  const d = readTrafficDashboard(gw.dataDir, 'hour');
  assert.equal(d.totals.connections, 1);
  assert.notEqual(d.queueSizes.sampledAt, null);
});
