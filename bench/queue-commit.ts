/**
 * Queue commit benchmark: N sessions commit a message of SIZE bytes at the same time, several
 * rounds, on a real queue directory; prints commits per second, latency and how many fsyncs of
 * incoming/ the group commit needed (queue.stats.dirSyncs).
 * Run: node --import tsx bench/queue-commit.ts [sessions=1,10,100,200] [size=20000] [rounds=3]
 * Reads PORTCULLIS_BENCH_DIR (default: the system's temporary directory) for where the queue lives:
 * point it at the disk the gateway will use, since fsync costs are the disk's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openQueue, type Queue } from '../server/queue/index.ts';

const sessionCounts = (process.argv[2] ?? '1,10,100,200').split(',').map(Number);
const messageSize = Number(process.argv[3] ?? 20000);
const rounds = Number(process.argv[4] ?? 3);

async function commitOne(queue: Queue, content: Buffer): Promise<number> {
  const started = performance.now();
  const id = queue.createQueueId();
  const writer = await queue.createQueueFile(id);
  // Lines of about 1000 bytes, as the front passes them.
  for (let at = 0; at < content.length; at += 1000) await writer.writeContent(content.subarray(at, at + 1000));
  await writer.commit({
    queueId: id,
    arrivalTime: Date.now(),
    sender: 'bench@example.org',
    recipients: [{ address: 'sink@example.com' }],
    dsn: {},
    client: { name: 'localhost', address: '127.0.0.1', helo: 'bench', protocol: 'ESMTP' },
    attributes: {},
  });
  return performance.now() - started;
}

const root = fs.mkdtempSync(path.join(process.env.PORTCULLIS_BENCH_DIR ?? os.tmpdir(), 'portcullis-bench-'));
try {
  const queue = await openQueue(path.join(root, 'queue'));
  const content = Buffer.alloc(messageSize, 'x');
  console.log(`queue ${queue.directory}, message ${messageSize} bytes, ${rounds} rounds`);
  for (const sessions of sessionCounts) {
    const latencies: number[] = [];
    const syncsBefore = queue.stats.dirSyncs;
    const started = performance.now();
    for (let r = 0; r < rounds; r++) {
      latencies.push(...(await Promise.all(Array.from({ length: sessions }, () => commitOne(queue, content)))));
    }
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const commits = sessions * rounds;
    const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
    console.log(
      `${String(sessions).padStart(4)} sessions: ${(commits / elapsed).toFixed(0).padStart(6)} commits/s, ` +
        `latency p50 ${percentile(0.5)} ms p99 ${percentile(0.99)} ms, ` +
        `${queue.stats.dirSyncs - syncsBefore} dir fsyncs for ${commits} commits`,
    );
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
