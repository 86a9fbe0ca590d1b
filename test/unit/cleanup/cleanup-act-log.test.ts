// server/cleanup/cleanup-act-log.ts: the exact lines of spec/appendix-observed.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCleanupActLog } from '../../../server/cleanup/cleanup-act-log.ts';

const FACTS = { queueId: '3EC0721AA32', origin: 'localhost[127.0.0.1]', sender: 's@good.test', recipient: 'alice@example.test', protocol: 'ESMTP', helo: 'h.example.org' };

test('a body reject line is the observed one', () => {
  assert.equal(formatCleanupActLog(FACTS, 'reject', 'body', 'forbidden body line', '5.7.1 body line rejected'),
    '3EC0721AA32: reject: body forbidden body line from localhost[127.0.0.1]; from=<s@good.test> to=<alice@example.test> proto=ESMTP helo=<h.example.org>: 5.7.1 body line rejected');
});

test('a folded header shows its newline and TAB as ??', () => {
  assert.equal(formatCleanupActLog(FACTS, 'reject', 'header', 'Subject: folded header\n\tthat is continued here', '5.7.1 folded header matched as one'),
    '3EC0721AA32: reject: header Subject: folded header??that is continued here from localhost[127.0.0.1]; from=<s@good.test> to=<alice@example.test> proto=ESMTP helo=<h.example.org>: 5.7.1 folded header matched as one');
});

test('without text there is no `: text` part; the null sender is from=<>; no HELO, no helo=', () => {
  assert.equal(formatCleanupActLog({ ...FACTS, sender: '', helo: null }, 'warning', 'header', 'Subject: warnme', ''),
    '3EC0721AA32: warning: header Subject: warnme from localhost[127.0.0.1]; from=<> to=<alice@example.test> proto=ESMTP');
});

test('the matched text is cut at 200 characters', () => {
  const line = formatCleanupActLog(FACTS, 'info', 'body', 'x'.repeat(300), 'seen');
  assert.ok(line.startsWith(`3EC0721AA32: info: body ${'x'.repeat(200)} from localhost`));
});
