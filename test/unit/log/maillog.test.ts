import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createMaillog, type MaillogEvent } from '../../../server/log/maillog.ts';

function temporaryMaillog(t: { after: (fn: () => void) => void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-maillog-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'log', 'maillog');
  return { file, maillog: createMaillog({ file, hostname: () => 'mx.example.test', syslogName: () => 'postfix' }) };
}

test('listeners get each event at once; the lines of one turn are in the file, in order, when the turn ends', async (t) => {
  const { file, maillog } = temporaryMaillog(t);
  const seen: MaillogEvent[] = [];
  maillog.onEvent((e) => seen.push(e));
  maillog.write('smtpd', 'SMTPD_CONNECT', 'connect from localhost[127.0.0.1]');
  maillog.write('smtpd', 'SMTPD_WARNING', 'something odd', 'warning');
  assert.deepEqual(seen.map((e) => e.text), ['connect from localhost[127.0.0.1]', 'something odd']);
  await nextTurn();
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0], new RegExp(`^\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d mx postfix/smtpd\\[${process.pid}\\]: connect from localhost\\[127\\.0\\.0\\.1\\]$`));
  assert.match(lines[1], /postfix\/smtpd\[\d+\]: warning: something odd$/);
  assert.equal(lines[2], '');
  await maillog.close();
});

test('close writes the lines still waiting; lines logged after close do not reach the file', async (t) => {
  const { file, maillog } = temporaryMaillog(t);
  maillog.write('postfix', 'GATEWAY_STOP', 'terminating on signal');
  await maillog.close();
  maillog.write('smtpd', 'SMTPD_DISCONNECT', 'disconnect from localhost[127.0.0.1]');
  await nextTurn();
  const text = fs.readFileSync(file, 'utf8');
  assert.match(text, /terminating on signal\n$/);
  assert.doesNotMatch(text, /disconnect/);
});

test('a client-supplied line break never starts a new line in the file', async (t) => {
  const { file, maillog } = temporaryMaillog(t);
  maillog.write('smtpd', 'SMTPD_WARNING', 'bad\r\nFake: line', 'warning');
  await maillog.close();
  assert.match(fs.readFileSync(file, 'utf8'), /warning: bad\?\?Fake: line\n$/);
});
