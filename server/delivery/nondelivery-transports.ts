/**
 * The transports that open no connection, as Postfix's error(8) and discard(8) delivery agents:
 * `error:text` bounces every recipient at once with the text (an enhanced status code at its
 * start is used, else 5.0.0), `retry:text` defers them the same way (4.0.0), `discard:text`
 * drops them and reports them sent with the text. A transport Portcullis does not have
 * (local, virtual, pipe, ...) is what qmgr does with a master.cf service that does not exist:
 * the recipients are deferred with "mail transport unavailable".
 * Exports CONNECTING_TRANSPORTS, deliverWithoutConnection.
 * Reads no parameters. An empty text is the recipient domain, as trivial-rewrite fills an empty nexthop.
 */
import type { RecipientOutcome } from './smtp-transaction.ts';

/** The transports that connect to a next hop (smtp-transaction.ts); relay is an smtp instance. */
export const CONNECTING_TRANSPORTS: ReadonlySet<string> = new Set(['smtp', 'relay', 'lmtp']);

/** deliverWithoutConnection - the outcomes of error, retry, discard and unknown transports. */
export function deliverWithoutConnection(transport: string, nexthop: string, addresses: readonly string[]): RecipientOutcome[] {
  const done = (status: RecipientOutcome['status'], dsn: string, reply: string) =>
    addresses.map((address): RecipientOutcome => ({ address, status, dsn, reply, relay: 'none' }));
  switch (transport) {
    case 'error':
      return done('bounced', ...splitDsn(nexthop, '5.0.0'));
    case 'retry':
      return done('deferred', ...splitDsn(nexthop, '4.0.0'));
    case 'discard':
      return done('sent', '2.0.0', nexthop);
    default:
      return done('deferred', '4.3.0', 'mail transport unavailable');
  }
}

// Postfix's dsn_split(): `5.1.1 text` gives its own code, any other text the default.
function splitDsn(text: string, fallback: string): [string, string] {
  const m = /^([245]\.\d{1,3}\.\d{1,3})\s+(.*)$/s.exec(text.trim());
  return m ? [m[1], m[2]] : [fallback, text.trim()];
}
