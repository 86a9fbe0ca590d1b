/**
 * header_checks, mime_header_checks, nested_header_checks and body_checks through real sockets
 * to a real gateway (spec/header-body-checks.md, appendix-observed.md "Content checks"): the
 * reply after the final dot, the cleanup lines in the maillog file, and what lands in which
 * queue. Tables are inline (`regexp:{{/re/ ACTION text}}`); `$$` is a literal `$` in main.cf.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readQueueFile, queueFilePath, type QueueState } from '../../server/queue/index.ts';
import { SmtpClient, dataWire, type SmtpReply } from '../support/smtp-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const TAIL = 'from localhost[127.0.0.1]; from=<s@good.test> to=<alice@example.test> proto=ESMTP helo=<h.example.org>';

/** send - one message from s@good.test to alice@example.test; the reply to the final dot. */
async function send(gw: TestGateway, message: string, client?: SmtpClient): Promise<SmtpReply> {
  const c = client ?? await SmtpClient.connect(gw.port);
  if (!client) {
    assert.equal((await c.read())!.code, 220);
    assert.equal((await c.command('EHLO h.example.org')).code, 250);
  }
  assert.equal((await c.command('MAIL FROM:<s@good.test>')).code, 250);
  assert.equal((await c.command('RCPT TO:<alice@example.test>')).code, 250);
  assert.equal((await c.command('DATA')).code, 354);
  const r = await c.command(dataWire(message).replace(/\r\n$/, ''));
  if (!client) c.close();
  return r;
}

/** queueId - the ID of `250 2.0.0 Ok: queued as ID`. */
function queueId(r: SmtpReply): string {
  assert.deepEqual([r.code, r.enh], [250, '2.0.0'], r.text);
  const m = /^Ok: queued as ([0-9A-F]+)$/.exec(r.text);
  assert.ok(m, r.text);
  return m[1];
}

/** maillog - the lines of the maillog file under the data folder, without the syslog prefix. */
async function maillog(gw: TestGateway, expected: RegExp | string): Promise<string[]> {
  const file = path.join(gw.dataDir, 'log', 'maillog');
  let lines: string[] = [];
  // The file is written through a stream: give it a moment to reach the disk.
  for (let i = 0; i < 50; i++) {
    lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => l.replace(/^.*? postfix\/\w+\[\d+\]: /, '')) : [];
    if (lines.some((l) => (typeof expected === 'string' ? l === expected : expected.test(l)))) break;
    await sleep(20);
  }
  return lines;
}

async function queued(gw: TestGateway, state: QueueState, id: string) {
  const file = await readQueueFile(queueFilePath(path.join(gw.dataDir, 'queue'), state, id));
  assert.ok(file.ok, `${id} in ${state}`);
  return { envelope: file.envelope, content: file.content.toString('utf8') };
}

function assertNothingQueued(gw: TestGateway): void {
  for (const state of ['incoming', 'active', 'deferred', 'hold', 'tmp']) assert.deepEqual(gw.queueFiles(state), [], state);
}

test('REJECT in header_checks: 550 5.7.1 message content rejected after the dot, the observed log line, nothing queued, the session goes on', async (t) => {
  const gw = await startTestGateway({ header_checks: 'regexp:{{/^Subject: make money fast/ REJECT}}' });
  t.after(() => gw.stop());
  const c = await SmtpClient.connect(gw.port);
  t.after(() => c.close());
  await c.read();
  await c.command('EHLO h.example.org');
  const r = await send(gw, 'From: s@good.test\nSubject: make money fast\n\nbody\n', c);
  assert.deepEqual([r.code, r.enh, r.text], [550, '5.7.1', 'message content rejected']);
  const lines = await maillog(gw, /: reject: header /);
  assert.ok(lines.some((l) => new RegExp(`^[0-9A-F]+: reject: header Subject: make money fast ${esc(TAIL)}: 5\\.7\\.1 message content rejected$`).test(l)), lines.join('\n'));
  assertNothingQueued(gw);
  const again = await send(gw, 'Subject: fine\n\nbody\n', c);
  queueId(again);
});

test('REJECT with text, with its own 5.X.Y code, and with a 4.X.Y code (a deferral)', async (t) => {
  const gw = await startTestGateway({
    header_checks: 'regexp:{{/^Subject: spam/ REJECT Go away with your spam}, {/^Subject: custom/ REJECT 5.7.0 Custom enhanced status}, {/^Subject: later/ REJECT 4.7.1 Please try again later}}',
  });
  t.after(() => gw.stop());
  const cases: [string, number, string, string][] = [
    ['spam', 550, '5.7.1', 'Go away with your spam'],
    ['custom', 550, '5.7.0', 'Custom enhanced status'],
    ['later', 451, '4.7.1', 'Please try again later'],
  ];
  for (const [subject, code, enh, text] of cases) {
    const r = await send(gw, `Subject: ${subject}\n\nbody\n`);
    assert.deepEqual([r.code, r.enh, r.text], [code, enh, text], subject);
  }
  assertNothingQueued(gw);
});

test('body_checks REJECT: the observed reply and log line; text split over two lines passes', async (t) => {
  const gw = await startTestGateway({ body_checks: 'regexp:{{/forbidden body line/ REJECT body line rejected}, {/first half.*second half/ REJECT split}}' });
  t.after(() => gw.stop());
  const r = await send(gw, 'Subject: x\n\nforbidden body line\n');
  assert.deepEqual([r.code, r.enh, r.text], [550, '5.7.1', 'body line rejected']);
  const lines = await maillog(gw, /: reject: body /);
  assert.ok(lines.some((l) => new RegExp(`^[0-9A-F]+: reject: body forbidden body line ${esc(TAIL)}: 5\\.7\\.1 body line rejected$`).test(l)), lines.join('\n'));
  queueId(await send(gw, 'Subject: x\n\nfirst half\nsecond half\n'));
});

test('a folded header is matched as one logical header; the log shows the line break as ??', async (t) => {
  const gw = await startTestGateway({ header_checks: 'regexp:{{/^Subject: folded.*continued/ REJECT folded header matched as one}}' });
  t.after(() => gw.stop());
  const r = await send(gw, 'Subject: folded header\n\tthat is continued here\n\nbody\n');
  assert.deepEqual([r.code, r.enh, r.text], [550, '5.7.1', 'folded header matched as one']);
  const lines = await maillog(gw, /folded header\?\?that/);
  assert.ok(lines.some((l) => l.includes(': reject: header Subject: folded header??that is continued here from localhost[127.0.0.1];')), lines.join('\n'));
});

test('DISCARD: 250 queued as ID, the log line, and nothing kept in any queue', async (t) => {
  const gw = await startTestGateway({ header_checks: 'regexp:{{/^Subject: discardme/ DISCARD dropped by header rule}}' });
  t.after(() => gw.stop());
  const id = queueId(await send(gw, 'Subject: discardme\nMessage-ID: <d@x>\n\nbody\n'));
  const lines = await maillog(gw, `${id}: discard: header Subject: discardme ${TAIL}: dropped by header rule`);
  assert.ok(lines.includes(`${id}: discard: header Subject: discardme ${TAIL}: dropped by header rule`), lines.join('\n'));
  assertNothingQueued(gw);
});

test('HOLD: 250, the message is in the hold queue with its reason, not in incoming', async (t) => {
  const gw = await startTestGateway({ header_checks: 'regexp:{{/^Subject: holdme/ HOLD held by header rule}}' });
  t.after(() => gw.stop());
  const id = queueId(await send(gw, 'Subject: holdme\n\nbody\n'));
  assert.deepEqual(gw.queueFiles('incoming'), []);
  assert.deepEqual(gw.queueFiles('hold'), [id]);
  const file = await queued(gw, 'hold', id);
  assert.equal(file.envelope.attributes.hold, 'held by header rule');
  const lines = await maillog(gw, `${id}: hold: header Subject: holdme ${TAIL}: held by header rule`);
  assert.ok(lines.includes(`${id}: hold: header Subject: holdme ${TAIL}: held by header rule`));
});

test('REDIRECT, FILTER and BCC are recorded in the queue file; the last REDIRECT and FILTER win', async (t) => {
  const gw = await startTestGateway({
    header_checks: 'regexp:{{/^X-Filter-1:/ FILTER smtp:[127.0.0.1]:10025}, {/^X-Filter-2:/ FILTER smtp:[127.0.0.1]:10026}, {/^X-Bcc:/ BCC archive@example.test}, {/^Subject: redirectme/ REDIRECT quarantine@example.test}}',
  });
  t.after(() => gw.stop());
  const id = queueId(await send(gw, 'X-Filter-1: a\nX-Filter-2: b\nX-Bcc: c\nSubject: redirectme\n\nbody\n'));
  const file = await queued(gw, 'incoming', id);
  assert.deepEqual(file.envelope.attributes, { redirect: 'quarantine@example.test', filter: 'smtp:[127.0.0.1]:10026', bcc: 'archive@example.test' });
  const lines = await maillog(gw, /: redirect: header /);
  assert.ok(lines.includes(`${id}: redirect: header Subject: redirectme ${TAIL}: quarantine@example.test`), lines.join('\n'));
  assert.ok(lines.includes(`${id}: filter: header X-Filter-2: b ${TAIL}: smtp:[127.0.0.1]:10026`));
});

test('PREPEND, REPLACE, IGNORE and a body IGNORE: the queue file shows each edit', async (t) => {
  const gw = await startTestGateway({
    header_checks: 'regexp:{{/^Subject: prependme/ PREPEND X-Flagged: yes}, {/^X-Old: (.*)/ REPLACE X-New: $${1}}, {/^X-Remove-Me:/ IGNORE}}',
    body_checks: 'regexp:{{/^strip this line$$/ IGNORE}}',
  });
  t.after(() => gw.stop());
  const id = queueId(await send(gw, 'From: s@good.test\nX-Remove-Me: 1\nX-Old: value\nSubject: prependme\n\nkeep\nstrip this line\nkeep too\n'));
  const file = await queued(gw, 'incoming', id);
  assert.match(file.content, /^Received: from h\.example\.org \(localhost \[127\.0\.0\.1\]\)\r\n\tby mx\.example\.test/);
  assert.ok(file.content.endsWith('\r\nFrom: s@good.test\r\nX-New: value\r\nX-Flagged: yes\r\nSubject: prependme\r\n\r\nkeep\r\nkeep too\r\n'), JSON.stringify(file.content));
  const lines = await maillog(gw, /: prepend: header /);
  assert.ok(lines.includes(`${id}: prepend: header Subject: prependme ${TAIL}: X-Flagged: yes`), lines.join('\n'));
  assert.ok(lines.includes(`${id}: replace: header X-Old: value ${TAIL}: X-New: value`));
});

test('WARN and INFO only log; an unsupported numeric result logs Postfix\'s warning and the message is accepted', async (t) => {
  const gw = await startTestGateway({
    header_checks: 'regexp:{{/^Subject:.*stop/ 550 5.7.0 Stopped by header rule}, {/^Subject: warnme/ WARN suspicious subject}}',
    body_checks: 'pcre:{{/noteworthy/ INFO noted}}',
  });
  t.after(() => gw.stop());
  queueId(await send(gw, 'Subject: please stop\n\nbody\n'));
  const id = queueId(await send(gw, 'Subject: warnme\n\nnoteworthy line\n'));
  const lines = await maillog(gw, /: info: body /);
  assert.ok(lines.includes('warning: unknown command in header_checks map: 550 5.7.0 Stopped by header rule'), lines.join('\n'));
  assert.ok(lines.includes(`${id}: warning: header Subject: warnme ${TAIL}: suspicious subject`));
  assert.ok(lines.includes(`${id}: info: body noteworthy line ${TAIL}: noted`));
});

test('OK does not allow anything: a later header can still reject', async (t) => {
  const gw = await startTestGateway({ header_checks: 'regexp:{{/^X-Trusted: yes/ OK}, {/^X-Spam-Flag: YES/ REJECT spam flag present}}' });
  t.after(() => gw.stop());
  const r = await send(gw, 'X-Trusted: yes\nX-Spam-Flag: YES\n\nbody\n');
  assert.deepEqual([r.code, r.enh, r.text], [550, '5.7.1', 'spam flag present']);
});

test('the gateway\'s own Received: header is inspected by header_checks', async (t) => {
  const gw = await startTestGateway({ header_checks: 'regexp:{{/^Received: from .*localhost/ REJECT own header seen}}' });
  t.after(() => gw.stop());
  const r = await send(gw, 'Subject: x\n\nbody\n');
  assert.deepEqual([r.code, r.text], [550, 'own header seen']);
});

test('a header rule sees the MIME headers of a body part: the exe attachment is refused', async (t) => {
  const gw = await startTestGateway({ header_checks: 'regexp:{{/^Content-Type: .*name="evil\\.exe"/ REJECT exe attachment}}' });
  t.after(() => gw.stop());
  const message = [
    'Subject: attachment', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '',
    '--b1', 'Content-Type: text/plain', '', 'see attached', '--b1',
    'Content-Type: application/octet-stream; name="evil.exe"', 'Content-Transfer-Encoding: base64', '', 'TVqQAAMAAAAEAAAA', '--b1--', '',
  ].join('\n');
  const r = await send(gw, message);
  assert.deepEqual([r.code, r.enh, r.text], [550, '5.7.1', 'exe attachment']);
});

test('nested_header_checks apart from header_checks: an attached message\'s Subject goes to nested_header_checks only', async (t) => {
  const gw = await startTestGateway({
    header_checks: 'regexp:{{/^Subject: inner/ REJECT top-level table}}',
    nested_header_checks: 'regexp:{{/^Subject: inner/ REJECT nested table}}',
  });
  t.after(() => gw.stop());
  const message = ['Subject: outer', 'Content-Type: message/rfc822', '', 'Subject: inner', '', 'inner body', ''].join('\n');
  const r = await send(gw, message);
  assert.deepEqual([r.code, r.text], [550, 'nested table']);
});

test('body_checks_size_limit = 100: a forbidden line after 244 body bytes passes; by default it is refused', async (t) => {
  const message = 'Subject: x\n\n' + ('f'.repeat(60) + '\n').repeat(4) + 'forbidden body line\n';
  const limited = await startTestGateway({ body_checks: 'regexp:{{/forbidden/ REJECT}}', body_checks_size_limit: '100' });
  t.after(() => limited.stop());
  queueId(await send(limited, message));
  const plain = await startTestGateway({ body_checks: 'regexp:{{/forbidden/ REJECT}}' });
  t.after(() => plain.stop());
  assert.equal((await send(plain, message)).code, 550);
});

test('several tables in header_checks are searched in order, first match wins', async (t) => {
  const gw = await startTestGateway({ header_checks: 'regexp:{{/^Subject:/ WARN first}}, pcre:{{/^Subject:/ REJECT second}, {/^To:/ REJECT second table only}}' });
  t.after(() => gw.stop());
  queueId(await send(gw, 'Subject: x\n\nbody\n'));
  const r = await send(gw, 'Subject: x\nTo: y@example.net\n\nbody\n');
  assert.deepEqual([r.code, r.text], [550, 'second table only']);
});

test('PREPEND from an access table goes above the Received: header and is inspected by header_checks too', async (t) => {
  const gw = await startTestGateway({
    smtpd_client_restrictions: 'check_client_access inline:{{127.0.0.1 = PREPEND X-Client-Note: flagged by access map}}',
    header_checks: 'regexp:{{/^X-Client-Note:/ INFO note seen}}',
  });
  t.after(() => gw.stop());
  const id = queueId(await send(gw, 'Subject: x\n\nbody\n'));
  const file = await queued(gw, 'incoming', id);
  assert.match(file.content, /^X-Client-Note: flagged by access map\r\nReceived: from h\.example\.org /);
  const lines = await maillog(gw, /: info: header X-Client-Note/);
  assert.ok(lines.includes(`${id}: info: header X-Client-Note: flagged by access map ${TAIL}: note seen`), lines.join('\n'));
});

test('HOLD and DISCARD from an access table end like the content-check ones', async (t) => {
  const hold = await startTestGateway({ smtpd_client_restrictions: 'check_client_access inline:{{127.0.0.1 = HOLD held for review}}' });
  t.after(() => hold.stop());
  const id = queueId(await send(hold, 'Subject: x\n\nbody\n'));
  assert.deepEqual([hold.queueFiles('incoming'), hold.queueFiles('hold')], [[], [id]]);
  const discard = await startTestGateway({ smtpd_client_restrictions: 'check_client_access inline:{{127.0.0.1 = DISCARD quietly dropped}}' });
  t.after(() => discard.stop());
  queueId(await send(discard, 'Subject: x\n\nbody\n'));
  assertNothingQueued(discard);
});

test('a check table that cannot be opened refuses the configuration', async () => {
  await assert.rejects(startTestGateway({ body_checks: 'regexp:/etc/postfix/no_such_body_checks' }), /body_checks/);
});

function esc(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
