/**
 * Stored access tables and DNS restrictions through real sockets: a real gateway on a real
 * SQLite file with tables stored in it, and a loopback DNS server serving
 * test/fixtures/dns/zone.txt (plus records a test adds). Checks the replies an administrator
 * sees, the log lines, that a temporary DNS failure stays temporary, and that a table changed
 * while the gateway runs is used by the next session.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { SmtpClient, dataWire } from '../support/smtp-client.ts';
import { startTestGateway, ZONE } from '../support/gateway.ts';
import { openTableStore } from '../../server/maps/table-store.ts';
import { readQueueFile } from '../../server/queue/index.ts';
import path from 'node:path';

async function session(port: number, lines: string[], localAddress = '127.0.0.1'): Promise<string[]> {
  const c = await SmtpClient.connect(port, { localAddress });
  try {
    const replies = [await c.read()];
    for (const line of lines) replies.push(await c.command(line));
    return replies.map((r) => (r ? `${r.code}${r.enh ? ' ' + r.enh : ''} ${r.text.split('\n')[0]}` : 'closed'));
  } finally {
    c.close();
  }
}

test('check_client_access on a stored cidr table rejects with the table text and logs NOQUEUE', async (t) => {
  const gw = await startTestGateway(
    { smtpd_client_restrictions: 'check_client_access cidr:blocked_networks' },
    { tables: { blocked_networks: { kind: 'cidr', source: '127.0.0.0/30 REJECT You are on our list\n127.0.0.4 OK\n' } } },
  );
  t.after(() => gw.stop());
  const refused = await session(gw.port, ['EHLO client.example.org', 'MAIL FROM:<a@example.org>', 'RCPT TO:<b@example.net>'], '127.0.0.2');
  assert.equal(refused[3], '554 5.7.1 <client2.dns.test[127.0.0.2]>: Client host rejected: You are on our list');
  assert.ok(gw.logLines().some((l) => l.startsWith('NOQUEUE: reject: RCPT from client2.dns.test[127.0.0.2]: 554 5.7.1')), gw.logLines().join('\n'));
  const allowed = await session(gw.port, ['EHLO client.example.org', 'MAIL FROM:<a@example.org>', 'RCPT TO:<b@example.net>'], '127.0.0.4');
  assert.equal(allowed[3], '250 2.1.5 Ok');
});

test('a table changed while the gateway runs is used by the next session, with a revision', async (t) => {
  const gw = await startTestGateway(
    { smtpd_sender_restrictions: 'check_sender_access hash:senders' },
    { tables: { senders: { kind: 'exact', source: 'spam.example REJECT\n' } } },
  );
  t.after(() => gw.stop());
  const lines = ['EHLO client.example.org', 'MAIL FROM:<x@fresh.example>', 'RCPT TO:<b@example.net>'];
  assert.equal((await session(gw.port, lines))[3], '250 2.1.5 Ok');
  const store = openTableStore(gw.dataDir);
  const changed = store.replace('senders', 'exact', [{ key: 'spam.example', value: 'REJECT' }, { key: 'fresh.example', value: 'REJECT fresh spam' }], 'tester');
  store.close();
  assert.ok(changed.ok && changed.revisionId !== null);
  const reload = await gw.gateway.reload();
  assert.ok(reload.ok && reload.revision === changed.revisionId, JSON.stringify(reload));
  assert.equal((await session(gw.port, lines))[3], '554 5.7.1 <x@fresh.example>: Sender address rejected: fresh spam');
});

test('HOLD and PREPEND from an access table: 250 to the client, the message held with the header', async (t) => {
  const gw = await startTestGateway(
    { smtpd_recipient_restrictions: 'check_recipient_access hash:rcpt, permit_mynetworks, reject_unauth_destination' },
    { tables: { rcpt: { kind: 'exact', source: 'held@example.net HOLD review this\ntagged@example.net PREPEND X-Tag: seen\n' } } },
  );
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  t.after(() => c.close());
  await c.read();
  await c.command('EHLO client.example.org');
  await c.command('MAIL FROM:<a@example.org>');
  assert.equal((await c.command('RCPT TO:<held@example.net>')).code, 250);
  assert.equal((await c.command('RCPT TO:<tagged@example.net>')).code, 250);
  assert.equal((await c.command('DATA')).code, 354);
  c.write(dataWire('Subject: hi\n\nbody\n'));
  const done = await c.read();
  assert.equal(done?.code, 250);
  const id = /queued as (\w+)/.exec(done!.text)![1];
  assert.ok(gw.logLines().some((l) => l.startsWith('NOQUEUE: hold: RCPT from localhost[127.0.0.1]: <held@example.net>: Recipient address review this;')), gw.logLines().join('\n'));
  for (let waited = 0; !gw.queueFiles('hold').includes(id) && waited < 2000; waited += 20) await sleep(20);
  assert.deepEqual(gw.queueFiles('hold'), [id]);
  const read = await readQueueFile(path.join(gw.dataDir, 'queue', 'hold', id));
  assert.ok(read.ok, JSON.stringify(read));
  assert.match(read.ok ? read.content.toString('latin1') : '', /^X-Tag: seen\r\nReceived: from/);
});

test('reject_rbl_client: a listed client gets the default_rbl_reply with the TXT reason; an unlisted one passes', async (t) => {
  const gw = await startTestGateway({ smtpd_client_restrictions: 'reject_rbl_client rbl.test' });
  t.after(() => gw.stop());
  const lines = ['EHLO client.example.org', 'MAIL FROM:<a@example.org>', 'RCPT TO:<b@example.net>'];
  assert.equal((await session(gw.port, lines, '127.0.0.10'))[3],
    '554 5.7.1 Service unavailable; Client host [127.0.0.10] blocked using rbl.test; Listed by rbl.test, see http://rbl.test/q?ip=127.0.0.10');
  assert.equal((await session(gw.port, lines, '127.0.0.2'))[3], '250 2.1.5 Ok');
});

test('reject_unknown_sender_domain: SERVFAIL is a 450 (defer_if_permit), never a 5xx or an accept', async (t) => {
  const gw = await startTestGateway({ smtpd_sender_restrictions: 'reject_unknown_sender_domain' });
  t.after(() => gw.stop());
  const replies = await session(gw.port, ['EHLO client.example.org', 'MAIL FROM:<a@tempfail.example.com>', 'RCPT TO:<b@example.net>']);
  assert.equal(replies[3], '450 4.1.8 <a@tempfail.example.com>: Sender address rejected: Domain not found');
  const missing = await session(gw.port, ['EHLO client.example.org', 'MAIL FROM:<a@missing.example.net>', 'RCPT TO:<b@example.net>']);
  assert.equal(missing[3], '450 4.1.8 <a@missing.example.net>: Sender address rejected: Domain not found');
  const nullMx = await session(gw.port, ['EHLO client.example.org', 'MAIL FROM:<a@nullmx.example.net>', 'RCPT TO:<b@example.net>']);
  assert.equal(nullMx[3], '550 5.7.27 <a@nullmx.example.net>: Sender address rejected: Domain nullmx.example.net does not accept mail (nullMX)');
});

test('a DNS server that never answers: reject_unknown_helo_hostname defers, the RBL counts as not listed', async (t) => {
  const gw = await startTestGateway({
    smtpd_helo_restrictions: 'reject_unknown_helo_hostname',
    smtpd_client_restrictions: 'reject_rbl_client slow.test',
  });
  t.after(() => gw.stop());
  gw.dns.setZone(`${ZONE}\nslow.example.org. TIMEOUT\n*.slow.test. TIMEOUT\n`);
  const replies = await session(gw.port, ['EHLO slow.example.org', 'MAIL FROM:<a@example.org>', 'RCPT TO:<b@example.net>']);
  assert.equal(replies[3], '450 4.7.1 <slow.example.org>: Helo command rejected: Host not found');
});

test('permit_mx_backup relays for a domain whose MX lists this host as a backup', async (t) => {
  const gw = await startTestGateway({
    mynetworks: '10.0.0.0/8',
    inet_interfaces: 'all',
    smtpd_relay_restrictions: 'permit_mynetworks, permit_mx_backup, reject_unauth_destination',
  });
  t.after(() => gw.stop());
  gw.dns.setZone(`${ZONE}\nmx.example.test. A 127.0.0.1\nbackup.test. MX 10 mx.example.net.\nbackup.test. MX 20 mx.example.test.\nprimary.test. MX 10 mx.example.test.\n`);
  const replies = await session(gw.port, ['EHLO client.example.org', 'MAIL FROM:<a@example.org>', 'RCPT TO:<u@backup.test>', 'RCPT TO:<u@primary.test>']);
  assert.equal(replies[3], '250 2.1.5 Ok');
  assert.equal(replies[4], '554 5.7.1 <u@primary.test>: Relay access denied');
});
