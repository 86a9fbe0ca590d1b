/**
 * Memory of a process tree from /proc: the sum of Pss (smaps_rollup) and of VmRSS over a
 * root process and all its descendants, sampled on an interval, keeping the peaks. PSS is the
 * fair figure when one side is many small processes sharing pages (Postfix) and the other one
 * large process (Portcullis).
 * Exports sampleTreeMemory, TreeMemorySampler.
 */
import fs from 'node:fs';

export interface TreeMemory {
  pssMiB: number;
  rssMiB: number;
  processes: number;
}

function children(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = byParent.get(ppid) ?? [];
      list.push(Number(name));
      byParent.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  return byParent;
}

function kib(file: string, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(file, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** readTreeMemory - one sample of the tree below root (root included). */
export function readTreeMemory(root: number): TreeMemory {
  const byParent = children();
  const pids: number[] = [];
  for (const queue = [root]; queue.length; ) {
    const p = queue.pop()!;
    pids.push(p);
    queue.push(...(byParent.get(p) ?? []));
  }
  let pss = 0;
  let rss = 0;
  for (const p of pids) {
    pss += kib(`/proc/${p}/smaps_rollup`, 'Pss');
    rss += kib(`/proc/${p}/status`, 'VmRSS');
  }
  return { pssMiB: pss / 1024, rssMiB: rss / 1024, processes: pids.length };
}

export interface TreeMemorySampler {
  /** stop - end sampling; the peaks seen. */
  stop(): TreeMemory;
}

/** sampleTreeMemory - sample every intervalMs until stopped. */
export function sampleTreeMemory(roots: number[], intervalMs = 100): TreeMemorySampler {
  const peak: TreeMemory = { pssMiB: 0, rssMiB: 0, processes: 0 };
  const take = () => {
    const sum = roots.map(readTreeMemory).reduce((a, b) => ({ pssMiB: a.pssMiB + b.pssMiB, rssMiB: a.rssMiB + b.rssMiB, processes: a.processes + b.processes }));
    peak.pssMiB = Math.max(peak.pssMiB, sum.pssMiB);
    peak.rssMiB = Math.max(peak.rssMiB, sum.rssMiB);
    peak.processes = Math.max(peak.processes, sum.processes);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { ...peak };
    },
  };
}
