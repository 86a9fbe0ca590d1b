/**
 * The DATA parser against a line-by-line reading of the same bytes, for seeded random messages
 * (leading dots, bare LF, bare CR, empty lines, a line longer than a piece) cut into random
 * chunks: whatever the chunking, the queue gets the same content, the same size and bare-LF
 * flag, and the commands after the final dot are read as commands.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SmtpdStream, type DataResult } from '../../../server/smtp/smtpd-stream.ts';

function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
}

function message(next: () => number): Buffer {
  const lines: string[] = [];
  const count = 1 + Math.floor(next() * 200);
  for (let i = 0; i < count; i++) {
    const r = next();
    const text = 'x'.repeat(Math.floor(next() * 120)) + (next() < 0.1 ? '\r' : '') + 'y';
    if (r < 0.1) lines.push(`.${text}\r\n`);
    else if (r < 0.15) lines.push(`${text}\n`);
    else if (r < 0.2) lines.push('\r\n');
    else if (r < 0.21) lines.push(`${'z'.repeat(150_000)}\r\n`);
    else if (r < 0.23) lines.push('..\r\n');
    else lines.push(`${text}\r\n`);
  }
  return Buffer.from(lines.join(''), 'latin1');
}

// Postfix's reading, one whole line at a time.
function reference(content: Buffer): { content: Buffer; bytes: number; bareLf: boolean } {
  const out: Buffer[] = [];
  let bytes = 0;
  let bareLf = false;
  for (let pos = 0; pos < content.length;) {
    const lf = content.indexOf(0x0a, pos);
    let line = content.subarray(pos, lf);
    pos = lf + 1;
    if (line.length && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    else bareLf = true;
    if (line[0] === 0x2e) line = line.subarray(1);
    bytes += line.length + 2;
    out.push(line, Buffer.from('\r\n'));
  }
  return { content: Buffer.concat(out), bytes, bareLf };
}

async function parse(input: Buffer, chunkSizes: () => number): Promise<{ content: Buffer; result: DataResult; commands: string[] }> {
  const stream = new SmtpdStream(2048);
  const written: Buffer[] = [];
  const commands: string[] = [];
  let result: DataResult | null = null;
  stream.startData({
    write: async (chunk) => void written.push(Buffer.from(chunk)),
    end: async (r) => void (result = r),
  }, 0);
  stream.oncommand = async (c) => void commands.push(c.line.toString('latin1'));
  for (let pos = 0; pos < input.length;) {
    const n = Math.max(1, Math.floor(chunkSizes()));
    // A chunk of its own, as each socket read is.
    const chunk = Buffer.from(input.subarray(pos, pos + n));
    await new Promise<void>((resolve, reject) => stream.write(chunk, (err) => (err ? reject(err) : resolve())));
    pos += n;
  }
  assert.ok(result, 'the final dot ended the message');
  return { content: Buffer.concat(written), result, commands };
}

for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
  test(`DATA content is read the same in any chunking (seed ${seed})`, async () => {
    const next = random(seed);
    const content = message(next);
    const input = Buffer.concat([content, Buffer.from('.\r\nQUIT\r\n')]);
    const expected = reference(content);
    const sizes = [() => 1 + next() * 7, () => 1 + next() * 5000, () => 65536, () => input.length];
    for (const size of sizes) {
      const got = await parse(input, size);
      assert.ok(got.content.equals(expected.content), 'the same content bytes');
      assert.equal(got.result.bytes, expected.bytes);
      assert.equal(got.result.bareLf, expected.bareLf);
      assert.equal(got.result.sizeExceeded, false);
      assert.deepEqual(got.commands, ['QUIT']);
    }
  });
}
