/**
 * The queue manager in its own worker thread (server/gateway/delivery-thread.ts), as
 * `portcullis start` runs it: delivery, its maillog lines in the gateway's one maillog, reload
 * and flush reaching the thread, and a clean stop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createPrismaClient } from '../../server/db/client.ts';
import { setParameters } from '../../server/config/parameter-store.ts';
import { startTestGateway } from '../support/gateway.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';
import { sendMessage, waitForLog } from '../delivery/send-message.ts';

const MESSAGE = 'From: a@example.org\nTo: b@example.net\nSubject: hello\n\nbody line\n';

// The nice value of each thread of this process, by thread ID (field 19 of its stat).
function threadNices(): Map<number, number> {
  return new Map(fs.readdirSync('/proc/self/task').map((tid) => {
    const fields = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
    return [Number(tid), Number(fields[16])];
  }));
}

test('a message is relayed by the delivery thread, the queue empties and its qmgr and smtp lines are in the one maillog', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.stop());
  const gw = await startTestGateway({ relayhost: `[127.0.0.1]:${sink.port}` }, { deliveryThread: true });
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  const id = await sendMessage(gw.port, 'a@example.org', ['b@example.net'], MESSAGE);
  assert.ok(id);
  const [m] = await sink.waitFor(1);
  assert.deepEqual(m.recipients, ['b@example.net']);
  await waitForLog(gw, new RegExp(`^${id}: removed$`));
  for (const state of ['incoming', 'active', 'deferred']) assert.deepEqual(gw.queueFiles(state), [], state);
  await gw.gateway.stop();
  const lines = fs.readFileSync(path.join(gw.dataDir, 'log', 'maillog'), 'utf8').split('\n');
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
  const client = at(new RegExp(`postfix/smtpd\\[${process.pid}\\]: ${id}: client=`));
  const sent = at(new RegExp(`postfix/smtp\\[${process.pid}\\]: ${id}: to=<b@example.net>, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:${sink.port}, .*status=sent`));
  const removed = at(new RegExp(`postfix/qmgr\\[${process.pid}\\]: ${id}: removed$`));
  assert.ok(client >= 0 && client < sent && sent < removed, lines.join('\n'));
});

test('the delivery thread runs at nice 10, the SMTP sessions at the priority of the process', async (t) => {
  const before = threadNices();
  const gw = await startTestGateway({}, { deliveryThread: true });
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  const after = threadNices();
  const added = [...after].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
  assert.equal(added.filter((nice) => nice === 10).length, 1, `new threads' nice values: ${added.join(', ')}`);
  assert.equal(after.get(process.pid), before.get(process.pid));
  assert.equal(after.get(process.pid), 0);
});

test('a reload reaches the delivery thread: mail after a relayhost change goes to the new next hop', async (t) => {
  const first = await startSmtpSink();
  const second = await startSmtpSink();
  t.after(() => first.stop());
  t.after(() => second.stop());
  const gw = await startTestGateway({ relayhost: `[127.0.0.1]:${first.port}` }, { deliveryThread: true });
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  assert.ok(await sendMessage(gw.port, 'a@example.org', ['b@example.net'], MESSAGE));
  await first.waitFor(1);
  const prisma = createPrismaClient(gw.dataDir);
  try {
    assert.ok((await setParameters(prisma, { relayhost: `[127.0.0.1]:${second.port}` }, 'test')).ok);
  } finally {
    await prisma.$disconnect();
  }
  assert.ok((await gw.gateway.reload()).ok);
  assert.ok(await sendMessage(gw.port, 'a@example.org', ['c@example.net'], MESSAGE));
  const [m] = await second.waitFor(1);
  assert.deepEqual(m.recipients, ['c@example.net']);
  assert.equal(first.messages.length, 1);
});

test('the delivery thread reads transport_maps and relay_domains from the stored tables, which it compiles for itself', async (t) => {
  const relay = await startSmtpSink();
  const special = await startSmtpSink();
  const inside = await startSmtpSink();
  t.after(() => relay.stop());
  t.after(() => special.stop());
  t.after(() => inside.stop());
  const gw = await startTestGateway(
    { relayhost: `[127.0.0.1]:${relay.port}`, transport_maps: 'hash:transport', relay_domains: 'hash:relay_domains', relay_transport: `relay:[127.0.0.1]:${inside.port}` },
    {
      deliveryThread: true,
      tables: {
        transport: { kind: 'exact', source: `special.example smtp:[127.0.0.1]:${special.port}\n` },
        relay_domains: { kind: 'exact', source: 'inside.example OK\n' },
      },
    },
  );
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  assert.ok(await sendMessage(gw.port, 'a@example.org', ['x@special.example'], MESSAGE));
  assert.ok(await sendMessage(gw.port, 'a@example.org', ['b@example.net'], MESSAGE));
  const id = await sendMessage(gw.port, 'a@example.org', ['c@inside.example'], MESSAGE);
  const [m] = await special.waitFor(1);
  assert.deepEqual(m.recipients, ['x@special.example']);
  const [r] = await relay.waitFor(1);
  assert.deepEqual(r.recipients, ['b@example.net']);
  const [i] = await inside.waitFor(1);
  assert.deepEqual(i.recipients, ['c@inside.example']);
  const line = await waitForLog(gw, new RegExp(`^${id}: to=<c@inside\\.example>, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:${inside.port}, .*status=sent`));
  assert.equal(gw.events.find((e) => e.text === line)!.program, 'relay');
});

test('flush through the delivery thread moves deferred mail back to incoming/ and answers how many', async (t) => {
  const sink = await startSmtpSink();
  const deadPort = sink.port;
  await sink.stop();
  const gw = await startTestGateway({ relayhost: `[127.0.0.1]:${deadPort}`, minimal_backoff_time: '1h', maximal_backoff_time: '1h', queue_run_delay: '1h' }, { deliveryThread: true });
  t.after(() => gw.stop());
  await gw.gateway.queueManager.start();
  const id = await sendMessage(gw.port, 'a@example.org', ['b@example.net'], MESSAGE);
  assert.ok(id);
  await waitForLog(gw, new RegExp(`^${id}: to=<b@example.net>, .*status=deferred`));
  for (let i = 0; i < 100 && gw.queueFiles('deferred').length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(gw.queueFiles('deferred'), [id]);
  assert.equal(await gw.gateway.flush(), 1);
});
