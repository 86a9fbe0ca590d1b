/**
 * Putting a notice the gateway writes itself (a bounce or delay warning) into its own queue,
 * through the same writer the SMTP front uses, so it is as durable as mail from outside.
 * Exports enqueueNotice. Reads no parameters. The envelope sender is <> (MAILER-DAEMON), so
 * a notice that fails in turn is never answered with another one.
 */
import type { Queue, QueueId } from '../queue/index.ts';

/** enqueueNotice - commit a message from <> to one recipient; resolves with its queue ID once durable. */
export async function enqueueNotice(queue: Queue, recipient: string, content: Buffer, myhostname: string): Promise<QueueId> {
  const id = queue.createQueueId();
  const file = await queue.createQueueFile(id);
  try {
    await file.writeContent(content);
    await file.commit({
      queueId: id,
      arrivalTime: Date.now(),
      sender: '',
      recipients: [{ address: recipient }],
      dsn: {},
      client: { name: 'localhost', address: '127.0.0.1', helo: myhostname, protocol: 'local' },
      attributes: {},
    });
  } catch (err) {
    await file.abort();
    throw err;
  }
  return id;
}
