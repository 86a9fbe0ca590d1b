/**
 * Opening the queue directory, as `postfix start` prepares it: create the state folders, tmp/
 * and spare/ (mode 0700), remove what a crash left in tmp/ (files never acknowledged with a 250)
 * and the spare files of an earlier run, and hand back the Queue through which every source
 * enqueues.
 * Exports openQueue, Queue, QueueStats, QueueOpenOptions. Reads no parameters: the caller passes
 * the queue directory. Throws only when the directory cannot be prepared (environment broken).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { DirectorySync } from './directory-sync.ts';
import { createQueueFileWriter, type QueueFileWriter } from './queue-file-writer.ts';
import { createQueueId, type QueueId } from './queue-id.ts';
import { QUEUE_STATES, TEMPORARY_FOLDER } from './queue-state.ts';
import { SPARE_FOLDER, SpareQueueFiles } from './spare-queue-files.ts';

/** Counters for tests and bench/. */
export interface QueueStats {
  readonly commits: number; // queue files committed into incoming/ or hold/
  readonly dirSyncs: number; // fsyncs of incoming/ started; below commits when group commit works
}

/** An open queue directory. */
export interface Queue {
  readonly directory: string; // absolute queue directory: one folder per state, plus tmp/
  readonly removedTemporaryFiles: readonly string[]; // crash leftovers openQueue removed, for the start-up log
  readonly stats: QueueStats;
  /** createQueueId - a new queue ID (at the first accepted RCPT, as Postfix does). */
  createQueueId(): QueueId;
  /** createQueueFile - start writing the file of a queue ID in tmp/, invisible to the queue manager until commit. */
  createQueueFile(id: QueueId): Promise<QueueFileWriter>;
  /** close - release the descriptors the queue keeps open (spare files, folders); after the last writer. */
  close(): void;
}

export interface QueueOpenOptions {
  // false for a process that only looks (a CLI next to a running gateway): the temporary files
  // it would see may belong to messages still arriving.
  removeTemporaryFiles?: boolean;
}

/** openQueue - prepare the queue directory and remove temporary files left by a crash. */
export async function openQueue(queueDir: string, options: QueueOpenOptions = {}): Promise<Queue> {
  const directory = path.resolve(queueDir);
  for (const folder of ['.', ...QUEUE_STATES, TEMPORARY_FOLDER, SPARE_FOLDER]) {
    const folderPath = path.join(directory, folder);
    await fs.mkdir(folderPath, { recursive: true, mode: 0o700 });
    // mkdir leaves an existing folder as it was; queue files are nobody else's business.
    await fs.chmod(folderPath, 0o700);
  }
  const removedTemporaryFiles = options.removeTemporaryFiles === false ? [] : await removeTemporaryFiles(directory);

  const incomingSync = new DirectorySync(path.join(directory, 'incoming'));
  const directorySyncs = { incoming: incomingSync, hold: new DirectorySync(path.join(directory, 'hold')) };
  let commits = 0;
  const spares = new SpareQueueFiles(directory);
  const context = { directory, directorySyncs, onCommit: () => void (commits += 1), spares };
  return {
    directory,
    removedTemporaryFiles,
    stats: {
      get commits() {
        return commits;
      },
      get dirSyncs() {
        return incomingSync.rounds;
      },
    },
    createQueueId,
    createQueueFile: (id) => createQueueFileWriter(context, id),
    close() {
      spares.stop();
      for (const sync of Object.values(directorySyncs)) sync.close();
    },
  };
}

// A file in tmp/, or a spare written to, was never renamed into incoming/, so its client never
// got a 250 and will send the message again. Unlike postsuper, no age test: only the process
// that owns the queue calls this.
async function removeTemporaryFiles(directory: string): Promise<string[]> {
  const folder = path.join(directory, TEMPORARY_FOLDER);
  const names = await fs.readdir(folder);
  for (const name of names) await fs.rm(path.join(folder, name), { force: true, recursive: true });
  // Empty spares are not mail: no report, and the new run makes its own.
  const spares = path.join(directory, SPARE_FOLDER);
  const unfinished: string[] = [];
  for (const name of await fs.readdir(spares)) {
    const file = path.join(spares, name);
    if ((await fs.stat(file).catch(() => null))?.size) unfinished.push(`${SPARE_FOLDER}/${name}`);
    await fs.rm(file, { force: true });
  }
  return [...names.sort(), ...unfinished.sort()];
}
