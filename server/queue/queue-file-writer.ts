/**
 * Writing one queue file, in the steps of Postfix's cleanup and mail_stream_finish_file():
 * content records as the message arrives, then the envelope and END, then at the same time
 * fdatasync of the file and its rename into incoming/ (hold/ for a held message, where Postfix's
 * cleanup puts it) followed by an fsync of that folder (shared with concurrent commits). commit
 * resolves only when all of that is durable: then, and only then, may the front answer 250. The
 * file is a spare made ahead of time when one is ready (spare-queue-files.ts), written where it
 * lies in spare/, so taking it costs no system call; else a new tmp/ID. The file header goes out
 * with the first record, so a short message costs one write.
 * Exports QueueFileWriter, QueueFileWriteError, QueueWriteStep, QueueFileContext, CommitState,
 * createQueueFileWriter. Reads no parameters (message_size_limit is the front's to enforce).
 * On an I/O failure the file is removed, as cleanup removes it, and the call rejects with
 * QueueFileWriteError (the front answers `451 4.3.0 Error: queue file write error`); misuse,
 * such as writing after commit, throws Error.
 *
 * Why a rejection and not a result value: a 250 must never follow a failed write, and an
 * exception cannot be forgotten the way an unread { ok: false } can.
 * The file is a plain descriptor, not a FileHandle: at thousands of files a second the
 * FileHandle's promise and tracking cost more of the main thread than the writes themselves.
 */
import fs from 'node:fs';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import type { DirectorySync } from './directory-sync.ts';
import type { SpareQueueFiles } from './spare-queue-files.ts';
import type { Envelope } from './envelope.ts';
import type { QueueId } from './queue-id.ts';
import { queueFilePath, temporaryFilePath, type QueueState } from './queue-state.ts';
import {
  CONTENT_RECORD_LENGTH,
  RECORD_HEADER_LENGTH,
  RECORD_LENGTH_LIMIT,
  REC_TYPE,
  encodeEndRecord,
  encodeFileHeader,
  encodeRecordHeader,
} from './queue-file-format.ts';

/** The step of the write path that failed, as named in the error message. */
export type QueueWriteStep = 'create' | 'write' | 'fsync' | 'rename' | 'directory fsync';

/** A queue file could not be written or made durable; nothing of it is left in the queue. */
export class QueueFileWriteError extends Error {
  readonly code = 'QUEUE_FILE_WRITE_ERROR'; // stable event code: queue file write or fsync failed
  constructor(
    readonly queueId: QueueId, // the message concerned, for `warning: QUEUEID: ...`
    readonly step: QueueWriteStep, // where the write path stopped
    cause: unknown,
  ) {
    super(`${queueId}: queue file write error: ${step}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'QueueFileWriteError';
  }
}

/** A queue file being written; one operation at a time, each awaited. */
export interface QueueFileWriter {
  readonly queueId: QueueId; // the file's name
  readonly size: number; // content bytes accepted so far
  /** writeContent - append content (CRLF lines, already dot-unstuffed); waits while a full record goes to disk. */
  writeContent(chunk: Buffer): Promise<void>;
  /**
   * commit - append the envelope and END, make the file durable in incoming/, or in hold/ when
   * into says so (the queue manager never sees a held message); size is filled in here.
   */
  commit(envelope: Omit<Envelope, 'size'>, into?: CommitState): Promise<void>;
  /** abort - close and remove the file; does nothing after commit, which cannot be taken back. */
  abort(): Promise<void>;
}

/** The folders a commit can put a new message in. */
export type CommitState = Extract<QueueState, 'incoming' | 'hold'>;

/** What a writer needs from its queue. */
export interface QueueFileContext {
  directory: string; // the queue directory
  directorySyncs: Record<CommitState, DirectorySync>; // group commit of each folder
  onCommit: () => void; // counts commits for queue.stats
  spares?: SpareQueueFiles; // empty files made ahead of time; none: create each file
}

/**
 * createQueueFileWriter - a ready spare (mode 0600, open), or a new tmp/ID; a new file fails if
 * the name exists, which a fresh queue ID rules out.
 */
export async function createQueueFileWriter(context: QueueFileContext, id: QueueId): Promise<QueueFileWriter> {
  const spare = context.spares?.take();
  if (spare) return new Writer(context, id, spare.path, spare.fd);
  const path = temporaryFilePath(context.directory, id);
  let fd: number;
  try {
    fd = await open(path, 'wx', 0o600);
  } catch (error) {
    throw new QueueFileWriteError(id, 'create', error);
  }
  return new Writer(context, id, path, fd);
}

const open = promisify(fs.open);
const write = (fd: number, data: Buffer, offset: number, length: number, position: number) =>
  new Promise<number>((resolve, reject) => fs.write(fd, data, offset, length, position, (e, n) => (e ? reject(e) : resolve(n))));
const fdatasync = promisify(fs.fdatasync);
const close = promisify(fs.close);
const rename = promisify(fs.rename);
const rm = promisify(fs.rm);

// Record buffers whose writes are done, for the next messages: at thousands of messages a second
// a fresh 32 KiB buffer per record is work for the garbage collector.
const RECORD_BUFFERS_KEPT = 64;
const recordBuffers: Buffer[] = [];
const takeRecordBuffer = () => recordBuffers.pop() ?? Buffer.allocUnsafeSlow(RECORD_HEADER_LENGTH + CONTENT_RECORD_LENGTH);
const keepRecordBuffer = (buffer: Buffer) => void (recordBuffers.length < RECORD_BUFFERS_KEPT && recordBuffers.push(buffer));

type WriterState = 'open' | 'committed' | 'aborted' | 'failed';

class Writer implements QueueFileWriter {
  private state: WriterState = 'open';
  private inFlight: Promise<void> | null = null; // the writeContent or commit running; abort waits for it
  private buffer: Buffer | null = null; // the content record being filled: header room, then content
  private buffered = 0; // content bytes in buffer
  private offset = 0; // bytes written to the file, or on their way there
  private writing: Promise<void> | null = null; // a full record going to disk while the next one fills
  private writes = new Set<Promise<unknown>>(); // writes not finished: the descriptor stays open for them
  private crc = 0; // CRC-32 of those bytes, for END
  private contentBytes = 0; // content accepted, buffered or written
  private header: Buffer | null = encodeFileHeader(); // goes out with the first write
  private failure: QueueFileWriteError | null = null; // the first failure, repeated to later calls

  constructor(
    private readonly context: QueueFileContext,
    readonly queueId: QueueId,
    private readonly temporaryPath: string,
    private fd: number | null,
  ) {}

  get size(): number {
    return this.contentBytes;
  }

  async writeContent(chunk: Buffer): Promise<void> {
    this.checkReady('writeContent');
    await this.track(this.appendContent(chunk));
  }

  async commit(envelope: Omit<Envelope, 'size'>, into: CommitState = 'incoming'): Promise<void> {
    this.checkReady('commit');
    if (envelope.queueId !== this.queueId) throw new Error(`commit of ${this.queueId} given the envelope of ${envelope.queueId}`);
    await this.track(this.finish(envelope, into));
  }

  async abort(): Promise<void> {
    // A disconnect can come at any moment: let the write or commit in progress settle first.
    if (this.inFlight) await this.inFlight.catch(() => {});
    // committed: the message stays queued, as Postfix keeps one whose 250 the client never saw;
    // failed: the file is already gone; aborted: done before.
    if (this.state !== 'open') return;
    this.state = 'aborted';
    await this.discard(this.temporaryPath);
  }

  private checkReady(operation: string): void {
    if (this.failure) throw this.failure;
    if (this.state !== 'open') throw new Error(`${operation} on queue file ${this.queueId} after it was ${this.state}`);
    if (this.inFlight) throw new Error(`${operation} on queue file ${this.queueId} while another operation is in progress`);
  }

  private async track(work: Promise<void>): Promise<void> {
    this.inFlight = work;
    try {
      await work;
    } finally {
      this.inFlight = null;
    }
  }

  // Crash while content is written: a file without END in tmp/ or spare/; nothing was
  // acknowledged and the next openQueue removes it.
  private async appendContent(chunk: Buffer): Promise<void> {
    let from = 0;
    while (from < chunk.length) {
      this.buffer ??= takeRecordBuffer();
      const n = Math.min(chunk.length - from, CONTENT_RECORD_LENGTH - this.buffered);
      chunk.copy(this.buffer, RECORD_HEADER_LENGTH + this.buffered, from, from + n);
      this.buffered += n;
      this.contentBytes += n;
      from += n;
      // Backpressure: a full record goes to disk while the next one fills, and the caller waits
      // only when that one is full too: a session holds two records of content at most, whatever
      // the message size, and reading from the client does not stop for every write.
      if (this.buffered === CONTENT_RECORD_LENGTH) {
        const previous = this.writing;
        const full = this.buffer;
        const current = this.writeOut('write', this.takeContentRecord()).finally(() => keepRecordBuffer(full));
        current.catch(() => {}); // awaited with the next record, at commit or in abort
        this.writing = current;
        if (previous) await previous;
      }
    }
  }

  private takeContentRecord(): Buffer {
    const record = this.buffer!.subarray(0, RECORD_HEADER_LENGTH + this.buffered);
    encodeRecordHeader(record, 0, REC_TYPE.NORM, this.buffered);
    // The record may still be on its way to disk when the next one fills: that gets a buffer of its own.
    this.buffer = null;
    this.buffered = 0;
    return record;
  }

  private async finish(envelope: Omit<Envelope, 'size'>, into: CommitState): Promise<void> {
    if (this.writing) await this.writing;
    const stored: Envelope = { ...envelope, size: this.contentBytes };
    const json = Buffer.from(JSON.stringify(stored), 'utf8');
    // A reader would refuse a longer envelope as corrupt: refuse it now, while 451 is still possible.
    if (json.length > RECORD_LENGTH_LIMIT[REC_TYPE.XTRA]) throw await this.fail('write', new RangeError(`envelope record of ${json.length} bytes`));
    const xtra = Buffer.allocUnsafe(RECORD_HEADER_LENGTH + json.length);
    encodeRecordHeader(xtra, 0, REC_TYPE.XTRA, json.length);
    json.copy(xtra, RECORD_HEADER_LENGTH);
    const last = this.buffer;
    const body = this.buffered > 0 ? Buffer.concat([this.takeContentRecord(), xtra]) : xtra;
    // The last record is copied into body: its buffer is free.
    if (last) keepRecordBuffer(last);
    this.buffer = null;
    // A message that never filled a record has its file header still to go, ahead of body.
    const header = this.header ?? Buffer.alloc(0);
    const end = encodeEndRecord(this.offset + header.length + body.length, this.contentBytes, crc32(body, crc32(header, this.crc)));

    // 1. Last content, envelope and END. Crash: a file in tmp/ or spare/, perhaps without END; no
    //    250 was sent, the next openQueue removes it and the client sends the message again.
    await this.writeOut('write', Buffer.concat([body, end]));

    // 2. fdatasync of the file and, at the same time, the rename into incoming/ (or hold/)
    //    followed by an fsync of that folder (shared with the commits of other sessions): the
    //    client waits for the slower of the two, not for both. From the rename on, the queue
    //    manager may take the file (it reads what was written, through the page cache). Crash
    //    before both returned: no 250 was sent and the client sends again; the file is in tmp/ or
    //    spare/ (removed at start), or in incoming/ whole (a duplicate, which Postfix allows as
    //    well) or without a valid END (the queue manager moves it to corrupt/). Once both
    //    returned a crash keeps the message: the front may answer 250. A failure removes the
    //    file; should the queue manager have taken it already, the message may arrive twice (the
    //    client was told 451), never be lost.
    const queuedPath = queueFilePath(this.context.directory, into, this.queueId);
    const fd = this.fd!;
    this.fd = null;
    let renamed = false;
    const [data, name] = await Promise.allSettled([
      fdatasync(fd).finally(() => close(fd)),
      rename(this.temporaryPath, queuedPath).then(() => {
        renamed = true;
        return this.context.directorySyncs[into].sync();
      }),
    ]);
    if (!renamed) throw await this.fail('rename', name.status === 'rejected' ? name.reason : null);
    if (data.status === 'rejected') throw await this.fail('fsync', data.reason, queuedPath);
    if (name.status === 'rejected') throw await this.fail('directory fsync', name.reason, queuedPath);
    this.state = 'committed';
    this.context.onCommit();
  }

  // Each write has its place in the file from the start, so two can be under way at once.
  private async writeOut(step: QueueWriteStep, record: Buffer): Promise<void> {
    // Crash after the first write: a file in tmp/ or spare/ without END, removed by the next openQueue.
    const data = this.header ? Buffer.concat([this.header, record]) : record;
    this.header = null;
    const position = this.offset;
    this.offset += data.length;
    this.crc = crc32(data, this.crc);
    const fd = this.fd!;
    const done = (async () => {
      for (let at = 0; at < data.length;) {
        const bytesWritten = await write(fd, data, at, data.length - at, position + at);
        if (bytesWritten === 0) throw new Error('short write');
        at += bytesWritten;
      }
    })();
    this.writes.add(done);
    try {
      await done;
    } catch (error) {
      throw await this.fail(step, error);
    } finally {
      this.writes.delete(done);
    }
  }

  // Postfix's cleanup removes its queue file on any write error: the client is told 451 and
  // sends again, so a file left behind could only be delivered twice.
  private async fail(step: QueueWriteStep, cause: unknown, path = this.temporaryPath): Promise<QueueFileWriteError> {
    this.state = 'failed';
    this.failure ??= new QueueFileWriteError(this.queueId, step, cause);
    // Errors while cleaning up are dropped: the first failure is the news, and a file still in
    // tmp/ or spare/ goes at the next start.
    await this.discard(path).catch(() => {});
    return this.failure;
  }

  private async discard(path: string): Promise<void> {
    // A write still under way must end before its descriptor is closed and perhaps reused.
    await Promise.allSettled([...this.writes]);
    if (this.buffer) keepRecordBuffer(this.buffer);
    this.buffer = null;
    const fd = this.fd;
    this.fd = null;
    try {
      if (fd !== null) await close(fd);
    } finally {
      await rm(path, { force: true });
    }
  }
}
