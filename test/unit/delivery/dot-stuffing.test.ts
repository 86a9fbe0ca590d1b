/**
 * Dot-stuffing for DATA: a DataStream sped up by speedUpDataStream sends exactly the bytes
 * nodemailer's own sends, end-of-data line included, for canonical content (leading dots on
 * the first and later lines) and for content it has to mend (bare CR, bare LF, no final CRLF).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import DataStream from 'nodemailer/lib/smtp-connection/data-stream.js';
import { speedUpDataStream, stuffDots } from '../../../server/delivery/dot-stuffing.ts';

async function wire(content: Buffer, fast: boolean): Promise<{ bytes: Buffer; inCount: number; outCount: number }> {
  const stream = new DataStream();
  if (fast) speedUpDataStream(stream);
  const out: Buffer[] = [];
  stream.on('data', (b: Buffer) => out.push(b));
  const ended = new Promise((resolve) => stream.on('end', resolve));
  stream.end(content);
  await ended;
  return { bytes: Buffer.concat(out), inCount: stream.inByteCount, outCount: stream.outByteCount };
}

const CASES: Record<string, string> = {
  'no dots': 'Subject: a\r\n\r\nline\r\n',
  'a dot first': '.hidden first line\r\nsecond\r\n',
  'dots inside': 'a\r\n.\r\n..two\r\nb.\r\n.end\r\n',
  'only a dot line': '.\r\n',
  'a bare LF': 'a\nb\r\n.c\r\n',
  'a bare CR': 'a\rb\r\n.c\r\n',
  'a CR before a dot': 'a\r.b\r\n',
  'no final CRLF': 'a\r\n.b',
  'a final bare LF': 'a\r\nb\n',
  'empty': '',
};

for (const [name, text] of Object.entries(CASES)) {
  test(`dot-stuffing sends what nodemailer sends: ${name}`, async () => {
    const content = Buffer.from(text, 'latin1');
    assert.deepEqual(await wire(content, true), await wire(content, false));
  });
}

test('random canonical messages with many leading dots are stuffed as nodemailer stuffs them', async () => {
  let x = 7;
  const next = () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let round = 0; round < 50; round++) {
    const lines: string[] = [];
    for (let i = 0; i < 1 + next() * 300; i++) lines.push((next() < 0.3 ? '.' : '') + 'x'.repeat(Math.floor(next() * 100)) + '\r\n');
    const content = Buffer.from(lines.join(''), 'latin1');
    assert.ok(stuffDots(content), 'canonical content takes the fast way');
    assert.deepEqual(await wire(content, true), await wire(content, false));
  }
});

test('content that needs mending is left to nodemailer', () => {
  const needMending = ['a\nb\r\n', 'a\rb\r\n', 'a\r\nb', 'x', '\n\r\n', 'a\r\r\nb\r\n', 'a\r\n\n', 'a\r\n\r\n.\n', 'a\r\nb\rc\r\n', '\r\r\n\n'];
  for (const text of needMending) assert.equal(stuffDots(Buffer.from(text)), null, JSON.stringify(text));
});
