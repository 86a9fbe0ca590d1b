/**
 * Stopping the gateway while a next hop hangs: the stop does not wait for the smtp client's
 * timeouts, the delivery in flight is cut off, and its message stays queued (back in incoming/,
 * not counted as an attempt) so the next start delivers it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestGateway } from '../support/gateway.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';
import { startGateway } from '../../server/gateway/start-gateway.ts';
import { sendMessage, waitForLog } from './send-message.ts';

const MESSAGE = 'From: a@example.org\nTo: b@example.net\nSubject: hello\n\nbody line\n';

test('a stop while the next hop never greets ends promptly, and the message is delivered after restart', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.stop());
  sink.hang = true;
  const gw = await startTestGateway({ relayhost: `[127.0.0.1]:${sink.port}` });
  // gw.stop() would stop the gateway a second time: clean up its other parts by hand.
  t.after(() => gw.dns.stop());
  t.after(() => fs.rmSync(gw.dataDir, { recursive: true, force: true }));
  const id = await sendMessage(gw.port, 'a@example.org', ['b@example.net'], MESSAGE);
  assert.ok(id);
  await gw.gateway.queueManager.start();
  for (let waited = 0; sink.connections === 0; waited += 20) {
    if (waited > 5000) assert.fail('the queue manager never connected');
    await sleep(20);
  }
  // The smtp client would wait 30 s for the greeting; the stop must not.
  const outcome = await Promise.race([
    gw.gateway.stop().then(() => 'stopped'),
    sleep(15_000, 'still stopping after 15 s', { ref: false }),
  ]);
  assert.equal(outcome, 'stopped');
  assert.deepEqual(fs.readdirSync(path.join(gw.dataDir, 'queue', 'incoming')), [id]);
  assert.deepEqual(fs.readdirSync(path.join(gw.dataDir, 'queue', 'active')), []);
  assert.ok(!gw.logLines().some((l) => l.startsWith(`${id}: to=`)), 'a cut-off delivery logs no to= line');

  sink.hang = false;
  const again = await startGateway({ dataDir: gw.dataDir, smtp: [{ host: '127.0.0.1', port: 0 }], logToStdout: false, delivery: true });
  assert.ok(again.ok);
  t.after(() => again.gateway.stop());
  const lines: string[] = [];
  again.gateway.maillog.onEvent((e) => lines.push(e.text));
  const [m] = await sink.waitFor(1);
  assert.deepEqual(m.recipients, ['b@example.net']);
  await waitForLog({ logLines: () => lines } as Parameters<typeof waitForLog>[0], new RegExp(`^${id}: removed$`));
});

test('a stop with deliveries that finish within the grace waits for them', async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.stop());
  sink.dataDelayMs = 300;
  const gw = await startTestGateway({ relayhost: `[127.0.0.1]:${sink.port}` });
  t.after(() => gw.dns.stop());
  t.after(() => fs.rmSync(gw.dataDir, { recursive: true, force: true }));
  const id = await sendMessage(gw.port, 'a@example.org', ['b@example.net'], MESSAGE);
  await gw.gateway.queueManager.start();
  for (let waited = 0; sink.connections === 0; waited += 20) {
    if (waited > 5000) assert.fail('the queue manager never connected');
    await sleep(20);
  }
  await gw.gateway.stop();
  assert.equal(sink.messages.length, 1);
  assert.ok(gw.logLines().includes(`${id}: removed`));
  for (const state of ['incoming', 'active', 'deferred']) assert.deepEqual(fs.readdirSync(path.join(gw.dataDir, 'queue', state)), [], state);
});
