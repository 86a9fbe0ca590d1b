/**
 * The reply on the wire (server/smtp/reply-wire.ts): what no reply line may carry, whatever
 * text a command put in it. Regressions found by test/hardening/smtp-fuzz.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReply } from '../../../server/smtp/reply-wire.ts';

const PLAIN = { softBounce: false, footer: '' };
const wireLines = (wire: string) => wire.split('\r\n').slice(0, -1);

test('a reply quoting a long client argument is cut to 512 bytes with its CRLF', () => {
  const wire = formatReply({ code: 252, enh: '2.0.0', text: 'x'.repeat(2000) }, PLAIN);
  assert.equal(Buffer.byteLength(wire), 512);
  assert.equal(wire, `252 2.0.0 ${'x'.repeat(500)}\r\n`);
});

test('each line of a long multi-line reply is cut on its own and keeps its continuation mark', () => {
  const wire = formatReply({ code: 250, enh: null, text: ['a'.repeat(600), 'b'.repeat(600), 'c'].join('\n') }, PLAIN);
  assert.deepEqual(wireLines(wire).map((l) => [l.slice(0, 5), Buffer.byteLength(l)]), [['250-a', 510], ['250-b', 510], ['250 c', 5]]);
});

test('a cut never splits a UTF-8 character', () => {
  const wire = formatReply({ code: 555, enh: '5.5.4', text: `Unsupported option: ${'é'.repeat(400)}` }, PLAIN);
  const line = wireLines(wire)[0];
  assert.ok(Buffer.byteLength(line) <= 510);
  assert.ok(Buffer.byteLength(line) >= 509, 'cut at the last whole character');
  assert.ok(!Buffer.from(line, 'utf8').toString('utf8').includes('\ufffd'));
});

test('a reply of exactly 510 bytes before CRLF is sent whole', () => {
  const text = 'y'.repeat(510 - '250 2.0.0 '.length);
  assert.equal(formatReply({ code: 250, enh: '2.0.0', text }, PLAIN), `250 2.0.0 ${text}\r\n`);
});

test('control characters quoted from the client (NUL, bare CR) become ?', () => {
  assert.equal(formatReply({ code: 252, enh: '2.0.0', text: 'a\0b\rc\x1bd' }, PLAIN), '252 2.0.0 a?b?c?d\r\n');
});
