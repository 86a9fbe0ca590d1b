/**
 * The envelope of a queued message: what Postfix keeps in the queue file's envelope records
 * (REC_TYPE_TIME, _FROM, _RCPT, _ORCP, _DSN_*, _ATTR, _SIZE) and smtpd logs as client=, helo=,
 * proto=. Written once, after the content, by commit; never rewritten.
 * Exports Envelope, EnvelopeRecipient, EnvelopeDsn, EnvelopeClient, isEnvelope.
 * Reads no parameters. Holds only what the client and the policy decided, no delivery state.
 * XXX delivered recipients are not yet marked in the file (Postfix's REC_TYPE_DONE).
 */
import { isQueueIdOk, type QueueId } from './queue-id.ts';

/** A message's envelope as stored in its queue file. */
export interface Envelope {
  queueId: QueueId; // the file's name in every state; QUEUEID in log lines
  arrivalTime: number; // ms since the epoch, when the message was accepted (Postfix's REC_TYPE_TIME)
  sender: string; // MAIL FROM address as received; '' for the null sender <>
  recipients: EnvelopeRecipient[]; // accepted RCPT TO addresses in order, duplicates kept
  dsn: EnvelopeDsn; // RFC 3461 parameters given with MAIL FROM
  client: EnvelopeClient; // who sent it, as logged in client= and helo=
  bodyType?: '7BIT' | '8BITMIME'; // MAIL FROM BODY=; absent when the client gave none
  smtputf8?: boolean; // MAIL FROM SMTPUTF8 was given
  size: number; // content bytes in the file, set by commit (Postfix's REC_TYPE_SIZE)
  attributes: Record<string, string>; // policy results by name: content_filter, redirect_to, hold …
}

/** One envelope recipient. */
export interface EnvelopeRecipient {
  address: string; // the address as accepted, after completion with @$myorigin
  orcpt?: string; // RCPT TO ORCPT=, as given (addr-type;xtext)
  notify?: string[]; // RCPT TO NOTIFY= values: NEVER, or some of SUCCESS, FAILURE, DELAY
}

/** DSN parameters of the whole message. */
export interface EnvelopeDsn {
  ret?: 'FULL' | 'HDRS'; // MAIL FROM RET=
  envid?: string; // MAIL FROM ENVID=, as given (xtext)
}

/** The SMTP client that sent the message. */
export interface EnvelopeClient {
  name: string; // verified client hostname, or 'unknown'
  address: string; // client IP address
  port?: number; // client TCP port, when known
  helo: string; // HELO/EHLO argument as given
  protocol: string; // 'SMTP' or 'ESMTP' as in proto= of log lines
}

/**
 * isEnvelope - whether a parsed envelope record has the shape commit writes; a reader uses it so
 * that a file from another version is reported, not half understood.
 */
export function isEnvelope(value: unknown): value is Envelope {
  if (!isObject(value)) return false;
  const { queueId, arrivalTime, sender, recipients, dsn, client, size, attributes } = value;
  return (
    isQueueIdOk(queueId) &&
    Number.isFinite(arrivalTime) &&
    typeof sender === 'string' &&
    Array.isArray(recipients) &&
    recipients.every((r) => isObject(r) && typeof r.address === 'string') &&
    isObject(dsn) &&
    isObject(client) &&
    typeof client.address === 'string' &&
    Number.isSafeInteger(size) &&
    isObject(attributes) &&
    Object.values(attributes).every((v) => typeof v === 'string')
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
