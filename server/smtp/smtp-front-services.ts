/**
 * What the SMTP front is given by the process that runs it: the current snapshot, the queue,
 * the maillog and the hooks of later stages. Tests and the CLI build the same object.
 */
import type { Maillog } from '../log/maillog.ts';
import type { Queue } from '../queue/index.ts';
import type { SmtpdSnapshot } from './smtpd-snapshot.ts';
import type { SaslServer } from '../sasl/sasl-server.ts';
import type { SessionViolation } from './session-transcript.ts';
import type { Anvil } from '../anvil/anvil.ts';

export interface SmtpFrontServices {
  snapshot: () => SmtpdSnapshot;      // the newest snapshot; sessions pin it
  queue: Queue;                       // where accepted mail goes
  maillog: Maillog;
  standalone: boolean;                // `portcullis smtpd --stdin`: no restrictions, no ETRN, no lookups
  /** tlsAvailable - a certificate and key were loaded, so STARTTLS can be offered. */
  tlsAvailable?: () => boolean;
  anvil?: Anvil;                      // client event counters of this front (createSmtpFront makes it)
  sasl?: SaslServer;                  // smtpd_sasl_type's server; absent when AUTH cannot be offered
  /** etrn - schedule deferred mail of a domain for delivery (the queue manager). */
  etrn?: (domain: string) => Promise<'started' | 'unavailable'>;
  /** violation - a session that earned a notify class ended: store it, notify (must not block). */
  violation?: (v: SessionViolation) => void;
}
