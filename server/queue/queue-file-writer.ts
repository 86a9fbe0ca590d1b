/**
 * Writing one queue file, in the steps of Postfix's cleanup and mail_stream_finish_file():
 * content records as the message arrives, then the envelope and END, fsync, close, rename from
 * tmp/ into incoming/, fsync of incoming/ shared with concurrent commits. commit resolves only
 * when all of that is durable: then, and only then, may the front answer 250.
 * Exports QueueFileWriter, QueueFileWriteError, QueueWriteStep, QueueFileContext,
 * createQueueFileWriter. Reads no parameters (message_size_limit is the front's to enforce).
 * On an I/O failure the file is removed, as cleanup removes it, and the call rejects with
 * QueueFileWriteError (the front answers `451 4.3.0 Error: queue file write error`); misuse,
 * such as writing after commit, throws Error.
 *
 * Why a rejection and not a result value: a 250 must never follow a failed write, and an
 * exception cannot be forgotten the way an unread { ok: false } can.
 */
import fs, { type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import type { DirectorySync } from './directory-sync.ts';
import type { Envelope } from './envelope.ts';
import type { QueueId } from './queue-id.ts';
import { queueFilePath, temporaryFilePath } from './queue-state.ts';
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
  /** commit - append the envelope and END, make the file durable in incoming/; size is filled in here. */
  commit(envelope: Omit<Envelope, 'size'>): Promise<void>;
  /** abort - close and remove the file; does nothing after commit, which cannot be taken back. */
  abort(): Promise<void>;
}

/** What a writer needs from its queue. */
export interface QueueFileContext {
  directory: string; // the queue directory
  incomingSync: DirectorySync; // group commit of incoming/
  onCommit: () => void; // counts commits for queue.stats
}

/**
 * createQueueFileWriter - open tmp/ID (mode 0600) and write the file header; fails if the file
 * exists, which a fresh queue ID rules out.
 */
export async function createQueueFileWriter(context: QueueFileContext, id: QueueId): Promise<QueueFileWriter> {
  const path = temporaryFilePath(context.directory, id);
  let handle: FileHandle;
  try {
    handle = await fs.open(path, 'wx', 0o600);
  } catch (error) {
    throw new QueueFileWriteError(id, 'create', error);
  }
  const writer = new Writer(context, id, path, handle);
  await writer.writeHeader();
  return writer;
}

type WriterState = 'open' | 'committed' | 'aborted' | 'failed';

class Writer implements QueueFileWriter {
  private state: WriterState = 'open';
  private inFlight: Promise<void> | null = null; // the writeContent or commit running; abort waits for it
  private buffer: Buffer | null = null; // the content record being filled: header room, then content
  private buffered = 0; // content bytes in buffer
  private offset = 0; // bytes written to the file
  private crc = 0; // CRC-32 of those bytes, for END
  private contentBytes = 0; // content accepted, buffered or written
  private failure: QueueFileWriteError | null = null; // the first failure, repeated to later calls

  constructor(
    private readonly context: QueueFileContext,
    readonly queueId: QueueId,
    private readonly temporaryPath: string,
    private handle: FileHandle | null,
  ) {}

  get size(): number {
    return this.contentBytes;
  }

  // Crash after this: a file with a header only in tmp/, removed by the next openQueue.
  async writeHeader(): Promise<void> {
    await this.writeOut('create', encodeFileHeader());
  }

  async writeContent(chunk: Buffer): Promise<void> {
    this.checkReady('writeContent');
    await this.track(this.appendContent(chunk));
  }

  async commit(envelope: Omit<Envelope, 'size'>): Promise<void> {
    this.checkReady('commit');
    if (envelope.queueId !== this.queueId) throw new Error(`commit of ${this.queueId} given the envelope of ${envelope.queueId}`);
    await this.track(this.finish(envelope));
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

  // Crash while content is written: a file without END in tmp/; nothing was acknowledged and the
  // next openQueue removes it.
  private async appendContent(chunk: Buffer): Promise<void> {
    let from = 0;
    while (from < chunk.length) {
      this.buffer ??= Buffer.allocUnsafe(RECORD_HEADER_LENGTH + CONTENT_RECORD_LENGTH);
      const n = Math.min(chunk.length - from, CONTENT_RECORD_LENGTH - this.buffered);
      chunk.copy(this.buffer, RECORD_HEADER_LENGTH + this.buffered, from, from + n);
      this.buffered += n;
      this.contentBytes += n;
      from += n;
      // Backpressure: the caller waits only while a full record goes to disk, so a session holds
      // one record of content, whatever the message size.
      if (this.buffered === CONTENT_RECORD_LENGTH) await this.writeOut('write', this.takeContentRecord());
    }
  }

  private takeContentRecord(): Buffer {
    const record = this.buffer!.subarray(0, RECORD_HEADER_LENGTH + this.buffered);
    encodeRecordHeader(record, 0, REC_TYPE.NORM, this.buffered);
    this.buffered = 0;
    return record;
  }

  private async finish(envelope: Omit<Envelope, 'size'>): Promise<void> {
    const stored: Envelope = { ...envelope, size: this.contentBytes };
    const json = Buffer.from(JSON.stringify(stored), 'utf8');
    // A reader would refuse a longer envelope as corrupt: refuse it now, while 451 is still possible.
    if (json.length > RECORD_LENGTH_LIMIT[REC_TYPE.XTRA]) throw await this.fail('write', new RangeError(`envelope record of ${json.length} bytes`));
    const xtra = Buffer.allocUnsafe(RECORD_HEADER_LENGTH + json.length);
    encodeRecordHeader(xtra, 0, REC_TYPE.XTRA, json.length);
    json.copy(xtra, RECORD_HEADER_LENGTH);
    const body = this.buffered > 0 ? Buffer.concat([this.takeContentRecord(), xtra]) : xtra;
    const end = encodeEndRecord(this.offset + body.length, this.contentBytes, crc32(body, this.crc));

    // 1. Last content, envelope and END. Crash: a file in tmp/, perhaps without END; no 250 was
    //    sent, the next openQueue removes it and the client sends the message again.
    await this.writeOut('write', Buffer.concat([body, end]));

    // 2. fsync: data and END are on disk. Crash before it returns: as in 1.
    const handle = this.handle!;
    try {
      await handle.sync();
    } catch (error) {
      throw await this.fail('fsync', error);
    }
    this.handle = null;
    try {
      await handle.close();
    } catch (error) {
      throw await this.fail('write', error);
    }

    // 3. rename into incoming/: the queue manager may take it from now on. Crash after: the new
    //    name is not durable yet, so the file is either in incoming/ (queued without a 250: the
    //    client sends again and the message arrives twice, a duplicate Postfix allows as well) or
    //    back in tmp/ (removed at start; the client sends again).
    const incomingPath = queueFilePath(this.context.directory, 'incoming', this.queueId);
    try {
      await fs.rename(this.temporaryPath, incomingPath);
    } catch (error) {
      throw await this.fail('rename', error);
    }

    // 4. fsync incoming/, shared with the commits of other sessions. Once it returns a crash
    //    keeps the message: the front may answer 250.
    try {
      await this.context.incomingSync.sync();
    } catch (error) {
      throw await this.fail('directory fsync', error, incomingPath);
    }
    this.state = 'committed';
    this.context.onCommit();
  }

  private async writeOut(step: QueueWriteStep, data: Buffer): Promise<void> {
    try {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await this.handle!.write(data, done, data.length - done, null);
        if (bytesWritten === 0) throw new Error('short write');
        done += bytesWritten;
      }
    } catch (error) {
      throw await this.fail(step, error);
    }
    this.crc = crc32(data, this.crc);
    this.offset += data.length;
  }

  // Postfix's cleanup removes its queue file on any write error: the client is told 451 and
  // sends again, so a file left behind could only be delivered twice.
  private async fail(step: QueueWriteStep, cause: unknown, path = this.temporaryPath): Promise<QueueFileWriteError> {
    this.state = 'failed';
    this.failure = new QueueFileWriteError(this.queueId, step, cause);
    // Errors while cleaning up are dropped: the first failure is the news, and a file still in
    // tmp/ goes at the next start.
    await this.discard(path).catch(() => {});
    return this.failure;
  }

  private async discard(path: string): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    try {
      await handle?.close();
    } finally {
      await fs.rm(path, { force: true });
    }
  }
}
