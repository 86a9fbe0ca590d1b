/**
 * A lower CPU priority for the calling thread alone. Linux keeps a nice value per thread, and
 * setpriority(2) given a thread ID sets only that thread's; Node's os.setPriority passes the ID
 * through, and /proc/thread-self names the caller's. Elsewhere the thread keeps its priority.
 * Threads the caller starts afterwards inherit the value: libuv's pool and V8's platform workers
 * are shared by the whole process, and its main thread has started them before.
 * Exports lowerThreadPriority. Reads no parameters.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** lowerThreadPriority - set the calling thread's nice value, where the system allows it. */
export function lowerThreadPriority(nice: number): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    // No /proc, or a system that refuses: the thread keeps the process's priority.
  }
}
