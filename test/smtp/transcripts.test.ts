/**
 * Session transcripts of violations through a real gateway: a session a restriction or the
 * protocol refused leaves a stored row (server/notify/transcript-store.ts) with the
 * restriction, the reply and the lines; a clean session leaves none; a long abusive session
 * stays bounded; notify_classes decides whether a postmaster notice is queued.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { SmtpClient } from '../support/smtp-client.ts';
import { startTestGateway } from '../support/gateway.ts';
import { databasePath } from '../../server/db/data-dir.ts';
import { readQueueFile } from '../../server/queue/index.ts';

interface TranscriptRow {
  client_address: string; client_name: string; helo: string | null; sender: string | null;
  recipients: string; classes: string; restriction: string | null; reply: string | null; lines: string;
}

async function session(port: number, lines: string[], localAddress = '127.0.0.1'): Promise<void> {
  const c = await SmtpClient.connect(port, { localAddress });
  try {
    await c.read();
    for (const line of lines) await c.command(line);
  } finally {
    c.close();
  }
}

function readTranscripts(dataDir: string): TranscriptRow[] {
  const db = new Database(databasePath(dataDir), { readonly: true });
  try {
    return db.prepare('SELECT * FROM session_transcript ORDER BY id').all() as TranscriptRow[];
  } finally {
    db.close();
  }
}

async function waitForTranscripts(dataDir: string, count: number): Promise<TranscriptRow[]> {
  for (let waited = 0; waited < 3000; waited += 50) {
    const rows = readTranscripts(dataDir);
    if (rows.length >= count) return rows;
    await sleep(50);
  }
  return readTranscripts(dataDir);
}

const RELAY_ATTEMPT = ['EHLO client.example.org', 'MAIL FROM:<a@example.org>', 'RCPT TO:<b@example.net>', 'QUIT'];

test('a client refused by a restriction leaves a stored transcript with the restriction, the reply and the lines', async (t) => {
  const gw = await startTestGateway({ mynetworks: '10.0.0.0/8' });
  t.after(() => gw.stop());
  await session(gw.port, RELAY_ATTEMPT);
  const [row] = await waitForTranscripts(gw.dataDir, 1);
  assert.ok(row, 'no transcript stored');
  assert.equal(row.client_address, '127.0.0.1');
  assert.equal(row.helo, 'client.example.org');
  assert.equal(row.sender, 'a@example.org');
  assert.deepEqual(JSON.parse(row.recipients), ['b@example.net']);
  assert.deepEqual(JSON.parse(row.classes), ['policy']);
  assert.equal(row.restriction, 'defer_unauth_destination');
  assert.equal(row.reply, '454 4.7.1 <b@example.net>: Relay access denied');
  const lines = JSON.parse(row.lines) as Array<{ at: string; dir: string; text: string }>;
  assert.match(lines[0].text, /^220 /);
  assert.equal(lines[0].dir, 'out');
  assert.ok(lines.some((l) => l.dir === 'in' && l.text === 'RCPT TO:<b@example.net>'));
  assert.ok(lines.some((l) => l.dir === 'out' && l.text === '454 4.7.1 <b@example.net>: Relay access denied'));
  assert.ok(lines.every((l) => !Number.isNaN(Date.parse(l.at))));
});

test('a clean session leaves no transcript', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  await session(gw.port, ['EHLO client.example.org', 'MAIL FROM:<a@example.org>', 'RCPT TO:<b@example.net>', 'RSET', 'QUIT']);
  await sleep(400);
  assert.deepEqual(readTranscripts(gw.dataDir), []);
});

test('an unknown command is stored as a protocol violation without a restriction', async (t) => {
  const gw = await startTestGateway();
  t.after(() => gw.stop());
  await session(gw.port, ['EHLO client.example.org', 'FOO bar', 'QUIT']);
  const [row] = await waitForTranscripts(gw.dataDir, 1);
  assert.ok(row, 'no transcript stored');
  assert.deepEqual(JSON.parse(row.classes), ['protocol']);
  assert.equal(row.restriction, null);
  assert.equal(row.reply, '500 5.5.2 Error: command not recognized');
});

test('a long abusive session keeps a bounded transcript with the first and last lines', async (t) => {
  const gw = await startTestGateway({ smtpd_hard_error_limit: '1000', smtpd_junk_command_limit: '10000' });
  t.after(() => gw.stop());
  const lines = ['EHLO client.example.org'];
  for (let i = 0; i < 600; i++) lines.push(`JUNK ${i} ${'x'.repeat(900)}`);
  lines.push('QUIT');
  await session(gw.port, lines);
  const [row] = await waitForTranscripts(gw.dataDir, 1);
  assert.ok(row, 'no transcript stored');
  const kept = JSON.parse(row.lines) as Array<{ dir: string; text: string }>;
  assert.ok(kept.length <= 202, `kept ${kept.length} lines`);
  assert.ok(row.lines.length < 200_000, `stored ${row.lines.length} characters`);
  assert.ok(kept.some((l) => l.text.startsWith('JUNK 0 ')));
  assert.ok(kept.some((l) => l.text.startsWith('JUNK 599 ')));
  assert.ok(kept.some((l) => /lines not kept/.test(l.text)));
});

test('with notify_classes = policy a notice with the transcript is queued for error_notice_recipient', async (t) => {
  const gw = await startTestGateway({ mynetworks: '10.0.0.0/8', notify_classes: 'policy', error_notice_recipient: 'abuse-desk' });
  t.after(() => gw.stop());
  await session(gw.port, RELAY_ATTEMPT);
  for (let waited = 0; gw.queueFiles().length === 0 && waited < 3000; waited += 50) await sleep(50);
  const [id] = gw.queueFiles();
  assert.ok(id, 'no notice queued');
  const read = await readQueueFile(path.join(gw.dataDir, 'queue', 'incoming', id));
  assert.ok(read.ok, JSON.stringify(read));
  if (!read.ok) return;
  assert.equal(read.envelope.sender, '');
  assert.deepEqual(read.envelope.recipients.map((r) => r.address), ['abuse-desk@example.test']);
  const text = read.content.toString('utf8');
  assert.match(text, /^From: MAILER-DAEMON@mx\.example\.test \(Mail Delivery System\)\r\n/);
  assert.match(text, /\r\nSubject: Postfix SMTP server: errors from localhost\[127\.0\.0\.1\]\r\n|\r\nSubject: Postfix SMTP server: errors from unknown\[127\.0\.0\.1\]\r\n/);
  assert.match(text, /\r\nAuto-Submitted: auto-generated\r\n/);
  assert.doesNotMatch(text, /^Received:/m);
  assert.match(text, /\r\n\r\nTranscript of session follows\.\r\n/);
  assert.match(text, /\r\n In:  RCPT TO:<b@example\.net>\r\n Out: 454 4\.7\.1 <b@example\.net>: Relay access denied\r\n/);
  assert.ok(gw.logLines().some((l) => l.startsWith(`${id}: message-id=<`)), gw.logLines().join('\n'));
});

test('without policy in notify_classes no notice is queued, though the transcript is stored', async (t) => {
  const gw = await startTestGateway({ mynetworks: '10.0.0.0/8' });
  t.after(() => gw.stop());
  await session(gw.port, RELAY_ATTEMPT);
  assert.equal((await waitForTranscripts(gw.dataDir, 1)).length, 1);
  await sleep(200);
  assert.deepEqual(gw.queueFiles(), []);
});
