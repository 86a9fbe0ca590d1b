/**
 * What the SMTP front knows about a session when it asks for a policy decision: the part of
 * Postfix's SMTPD_STATE that restrictions read, as plain values (spec/restrictions.md
 * section 5). The front owns it; the policy never changes it.
 * Exports: SmtpdCheckSession, PendingDeferral.
 */
import type { MailErrorClass } from './restriction.ts';
import type { DnsAnswers } from './dns-answers.ts';
import type { RestrictionTrace } from './restriction-trace.ts';

/**
 * PendingDeferral - a deferral kept for later (Postfix's SMTPD_DEFER): defer_if_permit
 * answers with it when the request would otherwise be accepted, defer_if_reject replaces a
 * later 5xx reject with it. Only the first reason of each kind is kept.
 */
export interface PendingDeferral {
  readonly errorClass: MailErrorClass;
  readonly code: number;          // 4xx
  readonly enh: string;           // DSN, e.g. '4.7.0'
  readonly text: string;          // reply text, e.g. '<x@y>: Recipient address rejected: defer_if_permit requested'
  readonly restriction: string;   // restriction that raised it, as written
  readonly parameter: string;     // parameter (list or class) holding that restriction
}

export interface SmtpdCheckSession {
  readonly clientAddress: string;        // client IP as logged: 192.0.2.1, 2001:db8::1 (IPv4-mapped shown as IPv4)
  readonly clientName: string;           // verified client host name, or 'unknown'
  readonly reverseClientName: string;    // unverified PTR name, or 'unknown'
  readonly clientPort: number;           // client TCP port
  readonly helo: string | null;          // last HELO/EHLO argument accepted; null before HELO
  readonly protocol: 'SMTP' | 'ESMTP';   // ESMTP after EHLO
  readonly saslUsername: string | null;  // login after a successful AUTH; null otherwise
  readonly improperPipelining: boolean;  // client talked ahead where not allowed (reject_unauth_pipelining)
  readonly tls: boolean;                 // TLS active on this connection
  readonly sender: string | null;        // MAIL FROM of the open transaction ('' = null sender); null outside one
  readonly recipientCount: number;       // recipients accepted so far in this transaction
  // Optional facts; absent means null. recipient: the first RCPT accepted in this
  // transaction (Postfix state->recipient), which recipient restrictions in the DATA and
  // end-of-data lists judge when it is the only one. deferIfPermit*: with
  // smtpd_delay_reject = no, what checkClient/checkHelo/checkMail returned as deferIfPermit,
  // carrying a defer_if_permit into later stages (Postfix's defer_if_permit_client/_helo/
  // _sender); the sender one is reset with the transaction.
  readonly recipient?: string | null;
  readonly clientNameStatus?: 'ok' | 'notfound' | 'forged' | 'retry';  // why clientName is (not) `unknown`; absent: ok
  readonly reverseNameStatus?: 'ok' | 'notfound' | 'retry';            // why reverseClientName is (not) `unknown`
  readonly clientCertificate?: { readonly verified: boolean; readonly fingerprint: string; readonly pkeyFingerprint: string } | null; // TLS client certificate
  readonly dns?: DnsAnswers;                                           // answers known so far; absent: none
  readonly deferIfPermitClient?: PendingDeferral | null;
  readonly deferIfPermitHelo?: PendingDeferral | null;
  readonly deferIfPermitSender?: PendingDeferral | null;
  readonly trace?: RestrictionTrace | null;                            // the simulator's recorder; absent in the gateway
}
