/**
 * Reading a queue file back, checked all the way through: magic and version, each record's type
 * and length, record order (content, one envelope, END), END's offset, content count and CRC-32,
 * and nothing after END. A damaged file is a value saying why, never half a message: the queue
 * manager moves such a file to corrupt/ (Postfix: "corrupt queue file", qmgr_active.c).
 * Exports readQueueFile, openContentStream, QueueFileRead, QueueContentStream, QueueFileDefect.
 * Reads no parameters. A missing file is the race value QUEUE_FILE_MISSING; other I/O errors throw.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { isEnvelope, type Envelope } from './envelope.ts';
import type { ReadBuffers } from './read-buffers.ts';
import {
  END_PAYLOAD_LENGTH,
  FILE_HEADER_LENGTH,
  QUEUE_FILE_MAGIC,
  QUEUE_FILE_VERSION,
  RECORD_HEADER_LENGTH,
  RECORD_LENGTH_LIMIT,
  REC_TYPE,
  decodeEndPayload,
} from './queue-file-format.ts';

/**
 * Why a queue file cannot be read, one stable code each:
 * QUEUE_FILE_MISSING   no such file: it was moved or removed meanwhile (a race, not damage)
 * QUEUE_FILE_TRUNCATED the file ends before its END record
 * QUEUE_FILE_CORRUPT   bad magic, version, record type, length, order, END values or envelope
 */
export type QueueFileDefect = 'QUEUE_FILE_MISSING' | 'QUEUE_FILE_TRUNCATED' | 'QUEUE_FILE_CORRUPT';

/** A file that cannot be used, and why. */
export interface QueueFileRefusal {
  ok: false;
  reason: QueueFileDefect; // the stable code
  detail: string; // what exactly, with the byte offset where it applies, for the warning line
}

export type QueueFileRead = { ok: true; envelope: Envelope; content: Buffer } | QueueFileRefusal;

export type QueueContentStream = { ok: true; envelope: Envelope; content: Readable } | QueueFileRefusal;

/**
 * readQueueFile - envelope and whole content of a complete, undamaged file; anything else is
 * refused. With buffers, the file is read into one taken from them, which the content lies in.
 */
export async function readQueueFile(path: string, buffers?: Pick<ReadBuffers, 'take'>): Promise<QueueFileRead> {
  let bytes: Buffer;
  try {
    // In one go rather than through libuv's thread pool: a queue file is read right after it was
    // written, from the page cache, and the pool's open, fstat, read and close cost the reading
    // thread more than the copy does.
    bytes = readWhole(path, buffers?.take ?? Buffer.allocUnsafeSlow);
  } catch (error) {
    if (isNotFound(error)) return missing(path);
    throw error;
  }
  const content: Buffer[] = [];
  for await (const step of walkQueueFile(memorySource(bytes))) {
    if (step.kind === 'content') content.push(step.data);
    else if (step.kind === 'refused') return step.refusal;
    else return { ok: true, envelope: step.envelope, content: joinInPlace(bytes, content) };
  }
  throw new Error(`${path}: queue file walk ended without a verdict`);
}

/**
 * openContentStream - for big messages: checks the whole file first without keeping its content,
 * then streams the content from the same open file (a rename meanwhile does not matter). Read the
 * stream to its end or destroy it: that closes the file.
 */
export async function openContentStream(path: string): Promise<QueueContentStream> {
  let handle: FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    if (isNotFound(error)) return missing(path);
    throw error;
  }
  let envelope: Envelope | null = null;
  try {
    for await (const step of walkQueueFile(fileSource(handle))) {
      if (step.kind === 'refused') {
        await handle.close();
        return step.refusal;
      }
      if (step.kind === 'end') envelope = step.envelope;
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  if (envelope === null) throw new Error(`${path}: queue file walk ended without a verdict`);
  const content = Readable.from(streamContent(handle, path), { objectMode: false });
  content.once('close', () => void handle.close().catch(() => {}));
  return { ok: true, envelope, content };
}

// Committed files do not change; one that shrank since fstat is read as far as it goes, and
// the walk refuses it.
function readWhole(path: string, take: (length: number) => Buffer): Buffer {
  const fd = openSync(path, 'r');
  try {
    const bytes = take(fstatSync(fd).size);
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return bytes.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

// The content records lie in order in bytes, each behind its record header: moved together over
// the headers they are the content, without a second copy of the message. Such copies count
// towards V8's external memory limit: with 100 KB messages they set off half of the delivery
// thread's full collections.
function joinInPlace(bytes: Buffer, pieces: Buffer[]): Buffer {
  if (pieces.length === 0) return bytes.subarray(0, 0);
  const start = pieces[0].byteOffset - bytes.byteOffset;
  let at = start;
  for (const piece of pieces) {
    const from = piece.byteOffset - bytes.byteOffset;
    bytes.copy(bytes, at, from, from + piece.length);
    at += piece.length;
  }
  return bytes.subarray(start, at);
}

async function* streamContent(handle: FileHandle, path: string): AsyncGenerator<Buffer> {
  for await (const step of walkQueueFile(fileSource(handle))) {
    if (step.kind === 'content') yield step.data;
    // Committed files are never rewritten: a change between the two passes is a broken disk.
    else if (step.kind === 'refused') throw new Error(`${path}: queue file changed while read: ${step.refusal.detail}`);
  }
}

// Sequential reads: up to length bytes, fewer only at the end of the file.
interface ByteSource {
  read(length: number): Promise<Buffer>;
}

function memorySource(bytes: Buffer): ByteSource {
  let position = 0;
  return {
    async read(length) {
      const piece = bytes.subarray(position, position + length);
      position += piece.length;
      return piece;
    },
  };
}

function fileSource(handle: FileHandle): ByteSource {
  let position = 0;
  return {
    async read(length) {
      const piece = Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await handle.read(piece, got, length - got, position + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      position += got;
      return piece.subarray(0, got);
    },
  };
}

// Content is yielded as it is read but is trusted only once 'end' arrives: the CRC-32 in END
// covers it.
type QueueFileStep =
  | { kind: 'content'; data: Buffer }
  | { kind: 'end'; envelope: Envelope }
  | { kind: 'refused'; refusal: QueueFileRefusal };

async function* walkQueueFile(source: ByteSource): AsyncGenerator<QueueFileStep> {
  const header = await source.read(FILE_HEADER_LENGTH);
  if (header.length < FILE_HEADER_LENGTH) return yield refused('QUEUE_FILE_TRUNCATED', 'file header cut short');
  if (!header.subarray(0, QUEUE_FILE_MAGIC.length).equals(QUEUE_FILE_MAGIC)) return yield refused('QUEUE_FILE_CORRUPT', 'not a queue file (bad magic)');
  const version = header.readUInt32BE(QUEUE_FILE_MAGIC.length);
  if (version !== QUEUE_FILE_VERSION) return yield refused('QUEUE_FILE_CORRUPT', `unsupported queue file version ${version}`);

  let crc = crc32(header);
  let offset = header.length;
  let contentBytes = 0;
  let envelope: Envelope | null = null;
  for (;;) {
    const recordHeader = await source.read(RECORD_HEADER_LENGTH);
    if (recordHeader.length < RECORD_HEADER_LENGTH) return yield refused('QUEUE_FILE_TRUNCATED', `no END record (file ends at offset ${offset + recordHeader.length})`);
    const type = recordHeader[0];
    const length = recordHeader.readUInt32BE(1);
    const limit = RECORD_LENGTH_LIMIT[type];
    if (limit === undefined) return yield refused('QUEUE_FILE_CORRUPT', `unknown record type 0x${type.toString(16)} at offset ${offset}`);
    if (length > limit) return yield refused('QUEUE_FILE_CORRUPT', `record length ${length} over ${limit} at offset ${offset}`);
    const payload = await source.read(length);
    if (payload.length < length) return yield refused('QUEUE_FILE_TRUNCATED', `record at offset ${offset} cut short`);

    if (type === REC_TYPE.END) {
      if (envelope === null) return yield refused('QUEUE_FILE_CORRUPT', `END without envelope at offset ${offset}`);
      if (length !== END_PAYLOAD_LENGTH) return yield refused('QUEUE_FILE_CORRUPT', `END of ${length} bytes at offset ${offset}`);
      const end = decodeEndPayload(payload);
      if (end.endOffset !== BigInt(offset)) return yield refused('QUEUE_FILE_CORRUPT', `END says offset ${end.endOffset}, found at ${offset}`);
      if (end.contentBytes !== BigInt(contentBytes)) return yield refused('QUEUE_FILE_CORRUPT', `END says ${end.contentBytes} content bytes, found ${contentBytes}`);
      if (end.crc !== crc) return yield refused('QUEUE_FILE_CORRUPT', 'checksum mismatch');
      if ((await source.read(1)).length > 0) return yield refused('QUEUE_FILE_CORRUPT', `data after END at offset ${offset + RECORD_HEADER_LENGTH + length}`);
      return yield { kind: 'end', envelope };
    }

    crc = crc32(payload, crc32(recordHeader, crc));
    if (type === REC_TYPE.NORM) {
      if (envelope !== null) return yield refused('QUEUE_FILE_CORRUPT', `content after envelope at offset ${offset}`);
      contentBytes += length;
      yield { kind: 'content', data: payload };
    } else {
      if (envelope !== null) return yield refused('QUEUE_FILE_CORRUPT', `second envelope at offset ${offset}`);
      envelope = parseEnvelope(payload);
      if (envelope === null) return yield refused('QUEUE_FILE_CORRUPT', `unreadable envelope at offset ${offset}`);
      if (envelope.size !== contentBytes) return yield refused('QUEUE_FILE_CORRUPT', `envelope says ${envelope.size} content bytes, found ${contentBytes}`);
    }
    offset += RECORD_HEADER_LENGTH + length;
  }
}

function parseEnvelope(payload: Buffer): Envelope | null {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
  return isEnvelope(value) ? value : null;
}

function refused(reason: QueueFileDefect, detail: string): QueueFileStep {
  return { kind: 'refused', refusal: { ok: false, reason, detail } };
}

function missing(path: string): QueueFileRefusal {
  return { ok: false, reason: 'QUEUE_FILE_MISSING', detail: `${path}: no such file` };
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}
