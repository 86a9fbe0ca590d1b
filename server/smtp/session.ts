/**
 * The state of one SMTP session, as Postfix keeps it in SMTPD_STATE: connection facts apart
 * from the mail transaction, so RSET and the end of DATA reset the transaction in one
 * assignment. Counters carry their parameter's name. Exports the types and newSession.
 */
import type { MailParameters, RcptParameters } from './esmtp-parameters.ts';
import type { QueueFileWriter } from '../queue/index.ts';
import type { PendingDeferral } from '../policy/smtpd-check.ts';
import type { MessageActions } from '../cleanup/message-actions.ts';
import type { ClientCertificate } from './client-certificate.ts';

export interface ClientIdentity {
  address: string;                 // client IP (IPv4-mapped IPv6 shown as IPv4)
  port: number;                    // client TCP port
  name: string;                    // verified client hostname or `unknown`
  reverseName: string;             // PTR name, not verified, or `unknown`
  nameStatus: 'ok' | 'notfound' | 'forged' | 'retry';       // Postfix client_name_status
  reverseNameStatus: 'ok' | 'notfound' | 'retry';           // Postfix reverse_client_name_status
}

export interface Recipient {
  address: string;                 // internal form as received (maybe unqualified)
  typed: string;                   // as the client wrote it, for reply texts
  parameters: RcptParameters;      // NOTIFY, ORCPT
}

export interface Transaction {
  sender: string;                  // internal form as received; '' for the null sender
  mailParameters: MailParameters;  // SIZE, BODY, RET, ENVID, SMTPUTF8
  recipients: Recipient[];         // accepted recipients, duplicates kept
  queueId: string | null;          // created at the first accepted recipient
  queueFile: QueueFileWriter | null; // open until committed or aborted
  deferIfPermitSender: PendingDeferral | null; // smtpd_delay_reject = no: a defer_if_permit from MAIL
  actions: MessageActions;         // HOLD, DISCARD, REDIRECT ... decided for the whole message
}

export interface CommandCount {
  ok: number;                      // commands of this verb that succeeded
  total: number;                   // commands of this verb received
}

export interface SmtpdSession {
  client: ClientIdentity;          // after XCLIENT, the impersonated client
  realClientAddress: string;       // the socket's peer, for smtpd_authorized_xclient_hosts
  realClientName: string;          // its verified name, likewise
  helo: string | null;             // HELO/EHLO argument, words joined by one space
  protocol: 'SMTP' | 'ESMTP';      // set by HELO / EHLO
  tls: boolean;                    // STARTTLS completed
  clientCertificate: ClientCertificate | null; // what the client presented in the TLS handshake
  saslUsername: string | null;     // after AUTH (or XCLIENT LOGIN)
  saslMethod: string | null;       // the AUTH mechanism as the client typed it; meaningful with saslUsername
  errorCount: number;              // smtpd_soft_error_limit / smtpd_hard_error_limit counter
  junkCommands: number;            // smtpd_junk_command_limit counter
  recipientOvershoot: number;      // smtpd_recipient_overshoot_limit counter
  improperPipelining: boolean;     // reject_unauth_pipelining evidence
  where: string;                   // last command verb for `... after CMD from ...` lines
  commandCounts: Map<string, CommandCount>; // for the disconnect line
  accessDenied: boolean;           // smtpd_delay_reject = no and the client was refused at connect
  deferIfPermitClient: PendingDeferral | null; // smtpd_delay_reject = no: a defer_if_permit from CONNECT
  deferIfPermitHelo: PendingDeferral | null;   // likewise from HELO/EHLO
  transaction: Transaction | null; // between MAIL FROM and the end of DATA or RSET
}

/** newSession - the state of a session that just connected. */
export function newSession(client: ClientIdentity): SmtpdSession {
  return {
    client,
    realClientAddress: client.address,
    realClientName: client.name,
    helo: null,
    protocol: 'SMTP',
    tls: false,
    clientCertificate: null,
    saslUsername: null,
    saslMethod: null,
    errorCount: 0,
    junkCommands: 0,
    recipientOvershoot: 0,
    improperPipelining: false,
    where: 'CONNECT',
    commandCounts: new Map(),
    accessDenied: false,
    deferIfPermitClient: null,
    deferIfPermitHelo: null,
    transaction: null,
  };
}

/** clientText - `name[addr]` as Postfix writes the client in logs and replies. */
export function clientText(c: ClientIdentity): string {
  return `${c.name}[${c.address}]`;
}
