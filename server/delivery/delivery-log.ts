/**
 * The maillog lines of the queue manager and the smtp client, in Postfix's words:
 * `ID: from=<s>, size=N, nrcpt=N (queue active)`, `ID: to=<r>, relay=..., [conn_use=N, ]delay=..,
 * delays=a/b/c/d, dsn=X.Y.Z, status=sent (...)`, `ID: removed`. conn_use appears from the
 * second transaction on a cached connection, as Postfix 3.7 writes it.
 * Exports formatActiveLine, formatRecipientLine. Reads no parameters.
 */
import type { RecipientOutcome } from './smtp-transaction.ts';

/** formatActiveLine - the line qmgr logs when a message enters the active queue. */
export function formatActiveLine(id: string, sender: string, size: number, nrcpt: number): string {
  return `${id}: from=<${sender}>, size=${size}, nrcpt=${nrcpt} (queue active)`;
}

/**
 * formatRecipientLine - one recipient's outcome; delays are seconds before the active queue,
 * in it before the connection, connection setup and transmission, as Postfix splits them.
 */
export function formatRecipientLine(
  id: string, outcome: RecipientOutcome, arrivalMs: number, activeMs: number, startMs: number, endMs: number,
): string {
  const s = (ms: number) => (ms < 100 ? (ms / 1000).toFixed(2).replace(/\.?0+$/, '') || '0' : (ms / 1000).toFixed(1)).replace(/^0\.0$/, '0');
  const delays = [activeMs - arrivalMs, startMs - activeMs, 0, endMs - startMs].map((ms) => s(Math.max(0, ms))).join('/');
  const connUse = outcome.connUse && outcome.connUse > 1 ? `, conn_use=${outcome.connUse}` : '';
  return `${id}: to=<${outcome.address}>, relay=${outcome.relay}${connUse}, delay=${s(endMs - arrivalMs)}, delays=${delays}, dsn=${outcome.dsn}, status=${outcome.status} (${outcome.reply})`;
}
