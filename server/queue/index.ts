/**
 * The queue: durable queue files and their states, a narrow API that knows nothing of SMTP or
 * delivery (Postfix's mail_queue.c, qmgr_move.c). Every source enqueues through openQueue's
 * Queue: createQueueId, createQueueFile, then writeContent, commit or abort.
 * Exports the API of the files beside it. Reads queue_minfree and message_size_limit
 * (checkQueueSpace) when given them.
 */
export { openQueue, type Queue, type QueueStats, type QueueOpenOptions } from './open-queue.ts';
export { createQueueId, isQueueIdOk, queueIdTime, type QueueId } from './queue-id.ts';
export { QUEUE_STATES, TEMPORARY_FOLDER, queueFilePath, type QueueState } from './queue-state.ts';
export { SPARE_FOLDER } from './spare-queue-files.ts';
export type { Envelope, EnvelopeRecipient, EnvelopeDsn, EnvelopeClient } from './envelope.ts';
export { QueueFileWriteError, type QueueFileWriter, type QueueWriteStep } from './queue-file-writer.ts';
export {
  readQueueFile,
  openContentStream,
  type QueueFileRead,
  type QueueContentStream,
  type QueueFileRefusal,
  type QueueFileDefect,
} from './queue-file-reader.ts';
export { createReadBuffers, type ReadBuffers } from './read-buffers.ts';
export { moveQueueFile, type QueueFileMove } from './move-queue-file.ts';
export { removeQueueFile, type QueueFileRemoval } from './remove-queue-file.ts';
export { listQueue } from './list-queue.ts';
export { checkQueueSpace, type QueueSpace, type QueueSpaceLimits } from './queue-space.ts';
