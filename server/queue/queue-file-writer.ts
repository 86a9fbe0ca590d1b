/**
 * Writing one queue file, in the steps of Postfix's cleanup and mail_stream_finish_file():
 * content records as the message arrives, then the envelope and END, then the file's rename into
 * incoming/ (hold/ for a held message, where Postfix's cleanup puts it) and at the same time an
 * fdatasync of the file and an fsync of that folder (shared with concurrent commits). commit
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
  /** writeContent - append content (CRLF lines, already dot-unstuffed); a full record goes to the page cache at once. */
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
const fdatasync = promisify(fs.fdatasync);
const close = promisify(fs.close);
const rm = promisify(fs.rm);

// Record buffers of writers that are done, for the next messages: at thousands of messages a
// second a fresh 32 KiB buffer per message is work for the garbage collector.
const RECORD_BUFFERS_KEPT = 64;
const recordBuffers: Buffer[] = [];
const takeRecordBuffer = () => recordBuffers.pop() ?? Buffer.allocUnsafeSlow(RECORD_HEADER_LENGTH + CONTENT_RECORD_LENGTH);
const keepRecordBuffer = (buffer: Buffer) => void (recordBuffers.length < RECORD_BUFFERS_KEPT && recordBuffers.push(buffer));

/** writeAllSync - write buffers at position, on from a short write; the position after them. */
function writeAllSync(fd: number, buffers: Buffer[], position: number): number {
  let pending = buffers;
  while (pending.length > 0) {
    let written = fs.writevSync(fd, pending, position);
    if (written === 0) throw new Error('short write');
    position += written;
    let done = 0;
    while (done < pending.length && written >= pending[done].length) written -= pending[done++].length;
    pending = pending.slice(done);
    if (written > 0) pending[0] = pending[0].subarray(written);
  }
  return position;
}

type WriterState = 'open' | 'committed' | 'aborted' | 'failed';

class Writer implements QueueFileWriter {
  private state: WriterState = 'open';
  private inFlight: Promise<void> | null = null; // the commit running; abort waits for it
  private buffer: Buffer | null = null; // the content record being filled: header room, then content
  private buffered = 0; // content bytes in buffer
  private offset = 0; // bytes written to the file
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
    try {
      this.appendContent(chunk);
    } catch (error) {
      throw await this.fail('write', error);
    }
  }

  async commit(envelope: Omit<Envelope, 'size'>, into: CommitState = 'incoming'): Promise<void> {
    this.checkReady('commit');
    if (envelope.queueId !== this.queueId) throw new Error(`commit of ${this.queueId} given the envelope of ${envelope.queueId}`);
    await this.track(this.finish(envelope, into));
  }

  async abort(): Promise<void> {
    // A disconnect can come at any moment: let the commit in progress settle first.
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
  // acknowledged and the next openQueue removes it. A session holds one record of content at
  // most, whatever the message size.
  private appendContent(chunk: Buffer): void {
    let from = 0;
    while (from < chunk.length) {
      this.buffer ??= takeRecordBuffer();
      const n = Math.min(chunk.length - from, CONTENT_RECORD_LENGTH - this.buffered);
      chunk.copy(this.buffer, RECORD_HEADER_LENGTH + this.buffered, from, from + n);
      this.buffered += n;
      this.contentBytes += n;
      from += n;
      if (this.buffered === CONTENT_RECORD_LENGTH) this.writeOut(this.frame([this.takeContentRecord()]));
    }
  }

  private takeContentRecord(): Buffer {
    const record = this.buffer!.subarray(0, RECORD_HEADER_LENGTH + this.buffered);
    encodeRecordHeader(record, 0, REC_TYPE.NORM, this.buffered);
    this.buffered = 0;
    return record;
  }

  private async finish(envelope: Omit<Envelope, 'size'>, into: CommitState): Promise<void> {
    const stored: Envelope = { ...envelope, size: this.contentBytes };
    const json = Buffer.from(JSON.stringify(stored), 'utf8');
    // A reader would refuse a longer envelope as corrupt: refuse it now, while 451 is still possible.
    if (json.length > RECORD_LENGTH_LIMIT[REC_TYPE.XTRA]) throw await this.fail('write', new RangeError(`envelope record of ${json.length} bytes`));
    const xtra = Buffer.allocUnsafe(RECORD_HEADER_LENGTH + json.length);
    encodeRecordHeader(xtra, 0, REC_TYPE.XTRA, json.length);
    json.copy(xtra, RECORD_HEADER_LENGTH);
    const records = this.frame(this.buffered > 0 ? [this.takeContentRecord(), xtra] : [xtra]);
    const end = encodeEndRecord(this.offset + records.reduce((sum, record) => sum + record.length, 0), this.contentBytes, this.crc);

    // 1. Last content, envelope and END. Crash: a file in tmp/ or spare/, perhaps without END; no
    //    250 was sent, the next openQueue removes it and the client sends the message again.
    try {
      this.writeOut([...records, end]);
    } catch (error) {
      throw await this.fail('write', error);
    }
    this.releaseBuffer();

    // 2. The rename into incoming/ (or hold/), then at the same time fdatasync of the file and
    //    an fsync of that folder (shared with the commits of other sessions): on ext4 one
    //    journal commit serves both. From the rename on, the queue manager may take the file (it
    //    reads what was written, through the page cache). Crash before both returned: no 250 was
    //    sent and the client sends again; the file is in tmp/ or spare/ (removed at start), or in
    //    incoming/ whole (a duplicate, which Postfix allows as well) or without a valid END (the
    //    queue manager moves it to corrupt/). Once both returned a crash keeps the message: the
    //    front may answer 250. A failure removes the file; should the queue manager have taken
    //    it already, the message may arrive twice (the client was told 451), never be lost.
    const queuedPath = queueFilePath(this.context.directory, into, this.queueId);
    try {
      fs.renameSync(this.temporaryPath, queuedPath);
    } catch (error) {
      throw await this.fail('rename', error);
    }
    const [data, name] = await Promise.allSettled([fdatasync(this.fd!), this.context.directorySyncs[into].sync()]);
    if (data.status === 'rejected') throw await this.fail('fsync', data.reason, queuedPath);
    if (name.status === 'rejected') throw await this.fail('directory fsync', name.reason, queuedPath);
    fs.closeSync(this.fd!);
    this.fd = null;
    this.state = 'committed';
    this.context.onCommit();
  }

  // The records to write next, behind the file header if nothing went out yet; END's CRC-32
  // covers them from here on.
  private frame(records: Buffer[]): Buffer[] {
    const framed = this.header ? [this.header, ...records] : records;
    this.header = null;
    for (const record of framed) this.crc = crc32(record, this.crc);
    return framed;
  }

  // Writes go to the page cache without waiting for the disk, a few microseconds for a full
  // record, so they are made in place: handing each to libuv's thread pool costs the main
  // thread more than the write, and the disk is waited for once, at commit. A write blocks
  // only where Postfix's cleanup blocks as well, when the kernel throttles dirty pages.
  private writeOut(buffers: Buffer[]): void {
    this.offset = writeAllSync(this.fd!, buffers, this.offset);
  }

  private releaseBuffer(): void {
    if (this.buffer) keepRecordBuffer(this.buffer);
    this.buffer = null;
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
    this.releaseBuffer();
    const fd = this.fd;
    this.fd = null;
    try {
      if (fd !== null) await close(fd);
    } finally {
      await rm(path, { force: true });
    }
  }
}
