// server/cleanup/cleanup-message.ts: a message through cleanup with header_checks,
// mime_header_checks, nested_header_checks and body_checks as inline tables; what is queued,
// what is logged and the verdict (spec/header-body-checks.md, appendix-observed.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CleanupMessage } from '../../../server/cleanup/cleanup-message.ts';
import { createMessageActions } from '../../../server/cleanup/message-actions.ts';
import type { LookupTable } from '../../../server/maps/lookup-table.ts';
import { bodyOf, contentChecks, FACTS, RECEIVED, runCleanup, TAIL } from './cleanup-rig.ts';

const OWN = RECEIVED.replace(/\r\n/g, '\n');

test('without checks the content is queued as it came, the gateway\'s Received: header first', async () => {
  const message = 'From: a@example.org\nSubject: hello\n\tfolded\n\nline one\n\n' + 'z'.repeat(5000) + '\nlast\n';
  const run = await runCleanup({}, message, { chunks: 7 });
  assert.equal(run.content, OWN + message);
  assert.deepEqual(run.log, []);
  assert.equal(run.result.rejected, false);
});

test('a folded header is matched as one: the pattern spans lines, the log shows ?? for the line break', async () => {
  const run = await runCleanup({ header_checks: 'regexp:{{/^Subject: folded.*continued/ REJECT folded header matched as one}}' },
    'Subject: folded header\n\tthat is continued here\n\nbody\n');
  assert.deepEqual([run.result.rejected, run.result.reason], [true, '5.7.1 folded header matched as one']);
  assert.deepEqual(run.log, [`4ABC: reject: header Subject: folded header??that is continued here ${TAIL}: 5.7.1 folded header matched as one`]);
});

test('regexp m flag: `.` stops at the embedded newline; pcre `.` crosses it by default', async () => {
  const message = 'Subject: folded header\n\tthat is continued here\n\n';
  assert.equal((await runCleanup({ header_checks: 'regexp:{{/^Subject: folded.*continued/m REJECT}}' }, message)).result.rejected, false);
  assert.equal((await runCleanup({ header_checks: 'pcre:{{/^Subject: folded.*continued/ REJECT}}' }, message)).result.rejected, true);
  assert.equal((await runCleanup({ header_checks: 'pcre:{{/^Subject: folded.*continued/s REJECT}}' }, message)).result.rejected, false);
});

test('the gateway\'s own Received: header is inspected by header_checks', async () => {
  const run = await runCleanup({ header_checks: 'regexp:{{/^Received: from .*localhost/ WARN own header seen}}' }, 'Subject: x\n\n');
  assert.deepEqual(run.log, [`4ABC: warning: header Received: from h.example.org (localhost [127.0.0.1])??by mx.example.test (Postfix) with ESMTP id 4ABC??for <alice@example.test>; Sun, 22 Nov 2026 03:07:30 +0000 (UTC) ${TAIL}: own header seen`]);
});

test('access-table PREPEND lines come above the Received: header and are inspected like any header', async () => {
  const run = await runCleanup({ header_checks: 'regexp:{{/^X-Client-Note:/ INFO note seen}}' }, 'Subject: x\n\nbody\n', { prepend: ['X-Client-Note: flagged by access map'] });
  assert.ok(run.content.startsWith('X-Client-Note: flagged by access map\n' + OWN));
  assert.deepEqual(run.log, [`4ABC: info: header X-Client-Note: flagged by access map ${TAIL}: note seen`]);
});

test('PREPEND puts its header right above the matched one (below Received:), and the new line is not inspected', async () => {
  const run = await runCleanup({ header_checks: 'regexp:{{/^Subject: prependme/ PREPEND X-Flagged: yes}, {/^X-Flagged/ REJECT never seen}}' },
    'From: a@example.org\nSubject: prependme\n\nbody\n');
  assert.equal(run.content, OWN + 'From: a@example.org\nX-Flagged: yes\nSubject: prependme\n\nbody\n');
  assert.deepEqual(run.log, [`4ABC: prepend: header Subject: prependme ${TAIL}: X-Flagged: yes`]);
  assert.equal(run.result.rejected, false);
});

test('REPLACE with $1: the header is rewritten and the new one counts as received (Message-ID)', async () => {
  const run = await runCleanup({
    header_checks: 'regexp:{{/^Subject: please (.*)/ REPLACE Subject: [replaced] $${1}}, {/^Message-ID: <old@x>/ REPLACE Message-ID: <new@x>}}',
  }, 'Subject: please replaceme now\nMessage-ID: <old@x>\n\nbody\n');
  assert.equal(run.content, OWN + 'Subject: [replaced] replaceme now\nMessage-ID: <new@x>\n\nbody\n');
  assert.equal(run.log[0], `4ABC: replace: header Subject: please replaceme now ${TAIL}: Subject: [replaced] replaceme now`);
  assert.equal(run.result.messageId, '<new@x>');
});

test('IGNORE removes a whole logical header or one body line, silently', async () => {
  const run = await runCleanup({ header_checks: 'regexp:{{/^X-Remove-Me:/ IGNORE}}', body_checks: 'regexp:{{/^strip this line$$/ IGNORE}}' },
    'X-Remove-Me: 1\n\tand its continuation\nSubject: stays\n\nkeep\nstrip this line\nkeep too\n');
  assert.equal(run.content, OWN + 'Subject: stays\n\nkeep\nkeep too\n');
  assert.deepEqual(run.log, []);
});

test('STRIP removes and logs', async () => {
  const run = await runCleanup({ body_checks: 'regexp:{{/^secret:/ STRIP secret removed}}' }, 'Subject: x\n\nsecret: 1234\npublic\n');
  assert.equal(run.content, OWN + 'Subject: x\n\npublic\n');
  assert.deepEqual(run.log, [`4ABC: strip: body secret: 1234 ${TAIL}: secret removed`]);
});

test('OK is only DUNNO: the next header is inspected and can still reject', async () => {
  const run = await runCleanup({ header_checks: 'regexp:{{/^X-Trusted: yes/ OK}, {/^X-Spam-Flag: YES/ REJECT spam flag present}}' },
    'X-Trusted: yes\nX-Spam-Flag: YES\n\n');
  assert.deepEqual([run.result.rejected, run.result.reason], [true, '5.7.1 spam flag present']);
});

test('after REJECT nothing more is inspected or written, but the message is read to its end', async () => {
  const run = await runCleanup({
    header_checks: 'regexp:{{/^Subject: make money fast/ REJECT}, {/^To:/ WARN not reached}}',
    body_checks: 'regexp:{{/./ WARN not reached either}}',
  }, 'From: a@example.org\nSubject: make money fast\nTo: b@example.net\n\nbody\n');
  assert.deepEqual(run.log, [`4ABC: reject: header Subject: make money fast ${TAIL}: 5.7.1 message content rejected`]);
  assert.equal(run.content, OWN + 'From: a@example.org\n', 'nothing after the rejected header is queued');
});

test('REJECT with a 4.x.x code is a deferral', async () => {
  const run = await runCleanup({ body_checks: 'regexp:{{/later/ REJECT 4.7.1 Please try again later}}' }, 'Subject: x\n\ncome back later\n');
  assert.deepEqual([run.result.deferred, run.result.rejected, run.result.reason], [true, false, '4.7.1 Please try again later']);
});

test('DISCARD, HOLD, REDIRECT, FILTER and BCC go into the transaction\'s actions', async () => {
  const actions = createMessageActions();
  actions.bcc.push('from-smtpd@example.test');
  const run = await runCleanup({
    header_checks: 'regexp:{{/^Subject: holdme/ HOLD held by header rule}, {/^X-Filter:/ FILTER smtp:[127.0.0.1]:10026}, {/^X-Bcc:/ BCC archive@example.test}}',
  }, 'Subject: holdme\nX-Filter: 1\nX-Bcc: 1\n\n', { actions });
  assert.deepEqual(actions, { ...createMessageActions(), hold: 'held by header rule', filter: 'smtp:[127.0.0.1]:10026', bcc: ['from-smtpd@example.test', 'archive@example.test'] });
  assert.deepEqual(run.log, [
    `4ABC: hold: header Subject: holdme ${TAIL}: held by header rule`,
    `4ABC: filter: header X-Filter: 1 ${TAIL}: smtp:[127.0.0.1]:10026`,
    `4ABC: bcc: header X-Bcc: 1 ${TAIL}: archive@example.test`,
  ]);
  const discarded = await runCleanup({ header_checks: 'regexp:{{/^Subject: discardme/ DISCARD dropped by header rule}, {/^To:/ HOLD}}' }, 'Subject: discardme\nTo: b@example.net\n\n');
  assert.equal(discarded.actions.discard, 'dropped by header rule');
  assert.equal(discarded.actions.hold, null, 'no inspection after DISCARD');
  assert.deepEqual(discarded.log, [`4ABC: discard: header Subject: discardme ${TAIL}: dropped by header rule`]);
});

test('HOLD decided by smtpd makes a content HOLD a no-op, unlogged', async () => {
  const actions = { ...createMessageActions(), hold: 'from access map' };
  const run = await runCleanup({ header_checks: 'regexp:{{/^Subject:/ HOLD content}}' }, 'Subject: x\n\n', { actions });
  assert.deepEqual([actions.hold, run.log], ['from access map', []]);
});

test('REDIRECT replaces the recipients and, as cleanup_act() does, ends inspection', async () => {
  const run = await runCleanup({ header_checks: 'regexp:{{/^Subject: redirectme/ REDIRECT quarantine@example.test}, {/^To:/ WARN after}}' },
    'Subject: redirectme\nTo: b@example.net\n\n');
  assert.equal(run.actions.redirect, 'quarantine@example.test');
  assert.deepEqual(run.log, [`4ABC: redirect: header Subject: redirectme ${TAIL}: quarantine@example.test`]);
});

test('PASS switches inspection off for the rest of the message', async () => {
  const run = await runCleanup({ header_checks: 'regexp:{{/^X-Trusted:/ PASS trusted}, {/^Subject:/ REJECT}}', body_checks: 'regexp:{{/spam/ REJECT}}' },
    'X-Trusted: 1\nSubject: x\n\nspam\n');
  assert.equal(run.result.rejected, false);
  assert.deepEqual(run.log, [`4ABC: pass: header X-Trusted: 1 ${TAIL}: trusted`]);
});

test('a numeric result is not supported: warning, and the message is accepted', async () => {
  const run = await runCleanup({ header_checks: 'regexp:{{/^Subject:.*stop/ 550 5.7.0 Stopped by header rule}}' }, 'Subject: please stop\n\n');
  assert.equal(run.result.rejected, false);
  assert.deepEqual(run.log, ['warning: unknown command in header_checks map: 550 5.7.0 Stopped by header rule']);
});

test('body lines one at a time: the observed reject line; text split over two lines does not match', async () => {
  const run = await runCleanup({ body_checks: 'regexp:{{/forbidden body line/ REJECT body line rejected}, {/first half.*second half/ REJECT split}}' },
    'Subject: x\n\nfirst half\nsecond half\nforbidden body line\n');
  assert.deepEqual(run.log, [`4ABC: reject: body forbidden body line ${TAIL}: 5.7.1 body line rejected`]);
  assert.equal(run.result.reason, '5.7.1 body line rejected');
});

test('empty body lines are never matched', async () => {
  const run = await runCleanup({ body_checks: 'regexp:{{/^$$/ REJECT empty}}' }, 'Subject: x\n\na\n\nb\n');
  assert.equal(run.result.rejected, false);
});

test('a line longer than line_length_limit is inspected piece by piece and queued whole', async () => {
  const line = 'a'.repeat(30) + 'NEEDLE' + 'b'.repeat(30);
  const limits = { lineLengthLimit: 32 };
  const split = await runCleanup({ body_checks: 'regexp:{{/aNEEDLEb/ REJECT whole}}' }, `Subject: x\n\n${line}\n`, limits);
  assert.equal(split.result.rejected, false, 'the needle straddles two pieces');
  assert.equal(split.content, OWN + `Subject: x\n\n${line}\n`);
  const piece = await runCleanup({ body_checks: 'regexp:{{/^EDLEb/ WARN second piece}}' }, `Subject: x\n\n${line}\n`, { ...limits, chunks: 5 });
  assert.equal(piece.log.length, 1);
});

test('body_checks_size_limit: only the first bytes of each body part are inspected', async () => {
  const filler = ('f'.repeat(60) + '\n').repeat(4); // 244 bytes
  const message = `Subject: x\n\n${filler}forbidden body line\n`;
  const checks = { body_checks: 'regexp:{{/forbidden/ REJECT}}' };
  assert.equal((await runCleanup(checks, message)).result.rejected, true, 'default 51200');
  assert.equal((await runCleanup({ ...checks, body_checks_size_limit: '100' }, message)).result.rejected, false, 'after 244 bytes with the limit at 100');
  const multipart = `Content-Type: multipart/mixed; boundary=b\n\n--b\n\n${filler}--b\n\nforbidden in part two\n--b--\n`;
  assert.equal((await runCleanup({ ...checks, body_checks_size_limit: '100' }, multipart)).result.rejected, true, 'the count starts again in each part');
});

const MULTIPART = [
  'From: a@example.org',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="XX"',
  '',
  'preamble line',
  '--XX',
  'Content-Type: application/octet-stream; name="evil.exe"',
  'Content-Language: en',
  '',
  'TVqQAAMAAAAEAAAA',
  '--XX',
  'Content-Type: message/rfc822',
  '',
  'Subject: attached message',
  'Content-Type: text/plain',
  '',
  'attached body',
  '--XX--',
  '',
].join('\n');

test('a header_checks rule sees MIME headers inside a multipart body (mime_header_checks defaults to it)', async () => {
  const run = await runCleanup({ header_checks: 'regexp:{{/^Content-Type: .*name="evil\\.exe"/ REJECT exe attachment}}' }, MULTIPART);
  assert.deepEqual([run.result.rejected, run.result.reason], [true, '5.7.1 exe attachment']);
});

test('fed line by line, a multipart message is queued as it came and a part header after the first part is still inspected', async () => {
  const plain = await runCleanup({}, MULTIPART, { lines: true });
  assert.equal(bodyOf(plain), MULTIPART);
  const checked = await runCleanup({ header_checks: 'regexp:{{/^Subject: attached message/ REJECT attached}}' }, MULTIPART, { lines: true });
  assert.deepEqual([checked.result.rejected, checked.result.reason], [true, '5.7.1 attached']);
  const body = await runCleanup({ body_checks: 'regexp:{{/^after the end/ REJECT epilogue}}' }, MULTIPART + 'after the end\n', { lines: true });
  assert.deepEqual([body.result.rejected, body.result.reason], [true, '5.7.1 epilogue']);
});

test('without body_checks the body is queued as it came whatever the pieces it arrives in, headers and body in one or not', async () => {
  const plain = 'From: a@example.org\nSubject: pieces\n\n.leading dot\n' + 'line of body\n'.repeat(40) + 'z'.repeat(3000) + '\nlast\n';
  for (const message of [plain, MULTIPART + 'epilogue\n']) {
    for (const chunks of [1, 2, 3, 7, 13, 64, 1000, message.length + 10]) {
      assert.equal(bodyOf(await runCleanup({}, message, { chunks })), message, `pieces of ${chunks}`);
    }
  }
});

test('each header goes to exactly one table: top-level, MIME anywhere, attached message; the rest is body', async () => {
  const tag = (name: string) => `regexp:{{/^(.*)$$/ INFO ${name}}}`;
  const run = await runCleanup({
    header_checks: tag('header_checks'),
    mime_header_checks: tag('mime_header_checks'),
    nested_header_checks: tag('nested_header_checks'),
    body_checks: tag('body_checks'),
  }, MULTIPART);
  const seen = run.log.map((l) => l.replace(/^4ABC: info: (header|body) (.*) from localhost.*: (\w+)$/, '$3 <- $2'));
  assert.deepEqual(seen, [
    'header_checks <- Received: from h.example.org (localhost [127.0.0.1])??by mx.example.test (Postfix) with ESMTP id 4ABC??for <alice@example.test>; Sun, 22 Nov 2026 03:07:30 +0000 (UTC)',
    'header_checks <- From: a@example.org',
    'mime_header_checks <- MIME-Version: 1.0',
    'mime_header_checks <- Content-Type: multipart/mixed; boundary="XX"',
    'body_checks <- preamble line',
    'body_checks <- --XX',
    'mime_header_checks <- Content-Type: application/octet-stream; name="evil.exe"',
    'mime_header_checks <- Content-Language: en',
    'body_checks <- TVqQAAMAAAAEAAAA',
    'body_checks <- --XX',
    'mime_header_checks <- Content-Type: message/rfc822',
    'nested_header_checks <- Subject: attached message',
    'mime_header_checks <- Content-Type: text/plain',
    'body_checks <- attached body',
    'body_checks <- --XX--',
  ]);
  assert.equal(run.content, OWN + MULTIPART, 'INFO changes nothing');
});

test('disable_mime_input_processing: part headers reach body_checks one physical line at a time', async () => {
  const run = await runCleanup({
    disable_mime_input_processing: 'yes',
    header_checks: 'regexp:{{/name="evil\\.exe"/ REJECT header}}',
    body_checks: 'regexp:{{/^Content-Type: application/ WARN part header as body}, {/evil/ REJECT body}}',
  }, MULTIPART.replace('; name="evil.exe"', ';\n\tname="evil.exe"'));
  assert.deepEqual(run.log, [
    `4ABC: warning: body Content-Type: application/octet-stream; ${TAIL}: part header as body`,
    `4ABC: reject: body ?name="evil.exe" ${TAIL}: 5.7.1 body`,
  ]);
});

test('header_size_limit: a longer header is cut before matching, and in the queue file', async () => {
  // Lines are added while the header is shorter than the limit: 109 + 11 reach 120, ` tail` is dropped.
  const subject = 'Subject: ' + 'x'.repeat(100);
  const run = await runCleanup({ header_size_limit: '120', header_checks: 'regexp:{{/tail/ REJECT}}' }, `${subject}\n continued\n tail\n\nbody\n`);
  assert.equal(run.result.rejected, false);
  assert.equal(run.content, OWN + `${subject}\n continued\n\nbody\n`);
});

test('several tables in one parameter: the first that matches decides', async () => {
  const run = await runCleanup({ header_checks: 'regexp:{{/^Subject:/ WARN first}}, pcre:{{/^Subject:/ REJECT second}, {/^To:/ REJECT second table only}}' },
    'Subject: x\nTo: y\n\n');
  assert.deepEqual(run.log, [`4ABC: warning: header Subject: x ${TAIL}: first`, `4ABC: reject: header To: y ${TAIL}: 5.7.1 second table only`]);
});

test('an mbox `From ` first line becomes an X-Mailbox-Line: header, which header_checks sees', async () => {
  const run = await runCleanup({ header_checks: 'regexp:{{/^X-Mailbox-Line: From /    WARN mbox}}' }, 'From someone Mon Jan  1 00:00:00 2024\nSubject: x\n\n');
  assert.equal(run.content, OWN + 'X-Mailbox-Line: From someone Mon Jan  1 00:00:00 2024\nSubject: x\n\n');
  assert.equal(run.log.length, 1);
});

test('a first line starting with white space cannot continue the Received: header: it starts the body', async () => {
  const run = await runCleanup({ body_checks: 'regexp:{{/indented/ WARN body}}' }, ' indented first line\nmore\n');
  assert.equal(run.content, OWN + '\n indented first line\nmore\n');
  assert.equal(run.log.length, 1);
});

test('UTF-8 content is matched as UTF-8 text and logged readably', async () => {
  const run = await runCleanup({ header_checks: 'regexp:{{/^Subject: café$$/ WARN accented}}' }, 'Subject: café\n\n');
  assert.deepEqual(run.log, [`4ABC: warning: header Subject: café ${TAIL}: accented`]);
  assert.equal(run.content, OWN + 'Subject: café\n\n');
});

test('hops: the own Received: header counts; IGNORE does not hide a Received: header from the count', async () => {
  const two = 'Received: from a by b; Mon, 01 Jan 2024 00:00:00 +0000\nReceived: from c by d; Mon, 01 Jan 2024 00:00:00 +0000\n';
  const run = await runCleanup({ header_checks: 'regexp:{{/^Received: from a/ IGNORE}}' }, `${two}Subject: x\n\n`, { hopcountLimit: 3 });
  assert.deepEqual([run.result.hops, run.result.hopsExceeded], [3, true]);
  assert.deepEqual(run.log, ['warning: 4ABC: message rejected: hopcount exceeded']);
});

test('a Message-ID removed by IGNORE is not reported', async () => {
  const run = await runCleanup({ header_checks: 'regexp:{{/^Message-ID:/ IGNORE}}' }, 'Message-ID: <m@x>\n\n');
  assert.equal(run.result.messageId, null);
});

test('body PREPEND inserts a line before the matched one; body REPLACE rewrites it', async () => {
  const run = await runCleanup({ body_checks: 'regexp:{{/^bodyprepend/ PREPEND [inserted]}, {/^secret (.*)/ REPLACE [redacted] $${1}}}' },
    'Subject: x\n\nbodyprepend here\nsecret sauce\n');
  assert.equal(run.content, OWN + 'Subject: x\n\n[inserted]\nbodyprepend here\n[redacted] sauce\n');
  assert.equal(run.log[0], `4ABC: prepend: body bodyprepend here ${TAIL}: [inserted]`);
});

test('too deep MIME nesting with header checks configured refuses with 5.6.0', async () => {
  const levels = Array.from({ length: 3 }, (_, i) => `Content-Type: multipart/mixed; boundary=l${i}\n\n--l${i}\n`).join('');
  const run = await runCleanup({ header_checks: 'regexp:{{/^X-Never:/ REJECT}}', mime_nesting_limit: '1' }, levels + 'x\n');
  assert.deepEqual([run.result.rejected, run.result.reason], [true, '5.6.0 MIME nesting exceeds safety limit']);
  assert.deepEqual(run.log, ['4ABC: reject: mime-error MIME nesting exceeds safety limit: Content-Type: multipart/mixed; boundary=l2 from localhost[127.0.0.1]; from=<s@good.test> to=<alice@example.test>']);
  assert.equal((await runCleanup({ mime_nesting_limit: '1' }, levels + 'x\n')).result.rejected, false, 'without header checks it is not an error');
});

test('a check table that fails: warning, nothing more written, try again later', async () => {
  const failing: LookupTable = { type: 'regexp', name: 'broken', keyForm: 'pattern', lookup: () => ({ status: 'retry', reason: 'down' }) };
  const base = contentChecks({});
  const out: Buffer[] = [];
  const log: string[] = [];
  const cleanup = new CleanupMessage(async (c) => void out.push(c), {
    hopcountLimit: 50, lineLengthLimit: 2048, actions: createMessageActions(), facts: FACTS,
    checks: { ...base, bodyChecks: { parameter: 'body_checks', tables: [failing] } },
    log: (_code, text, severity) => void log.push(`${severity ?? 'info'}: ${text}`),
  });
  await cleanup.start([], RECEIVED);
  await cleanup.write(Buffer.from('Subject: x\r\n\r\nbody\r\nmore\r\n'));
  const result = await cleanup.finish();
  assert.equal(result.lookupFailed, true);
  assert.deepEqual(log, ['warning: 4ABC: body_checks map lookup problem -- message not accepted, try again later']);
  assert.ok(!Buffer.concat(out).toString().includes('more'));
});
