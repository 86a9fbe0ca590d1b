import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { formatSyslogTime, maillogPath } from '../../../server/log/maillog.ts';
import { parseMaillogLine } from '../../../server/log/parse-maillog-line.ts';
import { readLinesBackward } from '../../../server/log/read-lines-backward.ts';
import { searchMaillog } from '../../../server/log/search-maillog.ts';
import { createQueueId } from '../../../server/queue/index.ts';

const folders: string[] = [];
after(() => { for (const f of folders) fs.rmSync(f, { recursive: true, force: true }); });

function dataDirWith(lines: string[], rotated: string[] = []): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-logsearch-'));
  folders.push(dir);
  fs.mkdirSync(path.join(dir, 'log'));
  fs.writeFileSync(maillogPath(dir), lines.map((l) => l + '\n').join(''));
  if (rotated.length) fs.writeFileSync(maillogPath(dir) + '.1', rotated.map((l) => l + '\n').join(''));
  return dir;
}

const at = (d: Date, program: string, text: string) => `${formatSyslogTime(d)} mx postfix/${program}[100]: ${text}`;
const minutesAgo = (n: number) => new Date(Math.floor(Date.now() / 1000) * 1000 - n * 60_000);

test('parseMaillogLine takes a line apart and refuses lines not in syslog format', () => {
  const e = parseMaillogLine('Nov 22 03:07:30 mx postfix/smtpd[1234]: 4BF2A1C0DE: client=mail.example.org[192.0.2.7]', new Date(2026, 11, 1));
  assert.ok(e);
  assert.equal(e.time.getTime(), new Date(2026, 10, 22, 3, 7, 30).getTime());
  assert.deepEqual([e.host, e.program, e.pid, e.queueId], ['mx', 'postfix/smtpd', 1234, '4BF2A1C0DE']);
  assert.equal(parseMaillogLine('Nov 22 03:07:30 mx postfix/smtpd[1]: NOQUEUE: reject: RCPT', new Date())?.queueId, null);
  assert.equal(parseMaillogLine('garbage', new Date()), null);
  assert.equal(parseMaillogLine('Feb 30 03:07:30 mx postfix/smtpd[1]: x', new Date(2026, 5, 1)), null);
});

test('a December line read in January belongs to the year before', () => {
  const e = parseMaillogLine('Dec 31 23:59:59 mx postfix/qmgr[1]: 4BF2A1C0DE: removed', new Date(2027, 0, 1, 0, 0, 5));
  assert.equal(e?.time.getFullYear(), 2026);
});

test('readLinesBackward gives every line last first, across chunk borders, without a trailing empty line', async () => {
  const lines = Array.from({ length: 50 }, (_, i) => `line ${i} ` + 'x'.repeat(i % 7));
  const dir = dataDirWith(lines);
  const read: string[] = [];
  for await (const l of readLinesBackward(maillogPath(dir), { chunkBytes: 5 })) read.push(l.text);
  assert.deepEqual(read, [...lines].reverse());
  const none: string[] = [];
  for await (const l of readLinesBackward(path.join(dir, 'missing'))) none.push(l.text);
  assert.deepEqual(none, []);
});

test('a queue ID search follows one message through its lines, newest first, into the rotated file', async () => {
  const id = createQueueId();
  const other = createQueueId();
  const dir = dataDirWith([
    at(minutesAgo(3), 'smtpd', `${id}: client=mail.example.org[192.0.2.7]`),
    at(minutesAgo(3), 'smtpd', `${other}: client=other.example.net[198.51.100.1]`),
    at(minutesAgo(2), 'qmgr', `${id}: from=<alice@example.org>, size=300, nrcpt=1 (queue active)`),
    at(minutesAgo(1), 'smtp', `${id}: to=<bob@example.com>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect refused)`),
  ], [
    at(minutesAgo(4), 'smtpd', 'connect from mail.example.org[192.0.2.7]'),
  ]);
  const r = await searchMaillog(dir, { queueId: id.toLowerCase() });
  assert.ok(r.ok);
  assert.deepEqual(r.entries.map((e) => e.program), ['postfix/smtp', 'postfix/qmgr', 'postfix/smtpd']);
  assert.equal(r.files.length, 2);
  const byClient = await searchMaillog(dir, { client: '[192.0.2.7]' });
  assert.ok(byClient.ok);
  assert.equal(byClient.entries.length, 2, 'the client= line and the connect line of the rotated file');
});

test('sender, recipient and null sender match the fields of the line only', async () => {
  const dir = dataDirWith([
    at(minutesAgo(3), 'qmgr', 'AAAAAAAAAA: from=<alice@example.org>, size=1, nrcpt=1 (queue active)'),
    at(minutesAgo(2), 'qmgr', 'BBBBBBBBBB: from=<>, size=1, nrcpt=1 (queue active)'),
    at(minutesAgo(1), 'smtp', 'AAAAAAAAAA: to=<bob@example.com>, orig_to=<alias@example.org>, status=sent (250 ok)'),
  ]);
  const sender = await searchMaillog(dir, { sender: 'EXAMPLE.ORG' });
  assert.ok(sender.ok);
  assert.deepEqual(sender.entries.map((e) => e.queueId), ['AAAAAAAAAA']);
  const bounce = await searchMaillog(dir, { sender: '<>' });
  assert.ok(bounce.ok);
  assert.deepEqual(bounce.entries.map((e) => e.queueId), ['BBBBBBBBBB']);
  const rcpt = await searchMaillog(dir, { recipient: 'alias@' });
  assert.ok(rcpt.ok);
  assert.equal(rcpt.entries.length, 1);
});

test('the time range, the result limit and the scan limit bound the search and say so', async () => {
  const lines = Array.from({ length: 30 }, (_, i) => at(minutesAgo(30 - i), 'smtpd', `connect from c${i}.example.org[192.0.2.${i}]`));
  const dir = dataDirWith(lines);
  const range = await searchMaillog(dir, { since: minutesAgo(5), until: minutesAgo(2) });
  assert.ok(range.ok);
  assert.equal(range.entries.length, 4);
  assert.equal(range.limitReached, false);
  const limited = await searchMaillog(dir, { limit: 3 });
  assert.ok(limited.ok);
  assert.deepEqual(limited.entries.map((e) => e.text.match(/c(\d+)\./)?.[1]), ['29', '28', '27']);
  assert.equal(limited.limitReached, true);
  const scanned = await searchMaillog(dir, {}, { scanLimitBytes: 200 });
  assert.ok(scanned.ok);
  assert.equal(scanned.scanLimitReached, true);
  assert.ok(scanned.entries.length < 30);
});

test('a bad query is a field error, not an exception', async () => {
  const dir = dataDirWith([]);
  assert.deepEqual(await searchMaillog(dir, { queueId: '../etc' }), { ok: false, field: 'queueId', error: 'a queue ID is 10 to 32 hexadecimal digits' });
  const r = await searchMaillog(dir, { limit: 0 });
  assert.equal(r.ok === false && r.field, 'limit');
  const range = await searchMaillog(dir, { since: new Date(2026, 1, 2), until: new Date(2026, 1, 1) });
  assert.equal(range.ok === false && range.field, 'until');
  const long = await searchMaillog(dir, { sender: 'a'.repeat(300) });
  assert.equal(long.ok === false && long.field, 'sender');
});
