/**
 * What one restriction is: the request it judges, the result it answers, and its entry in
 * the RESTRICTIONS table (spec/restrictions.md sections 1, 9 and 10).
 * Exports: MailErrorClass, ReplyClass, RestrictionRequest, RestrictionResult,
 * RestrictionImplementation, RestrictionArgument, RestrictionFamily, RestrictionEntry, MessageAction.
 * A restriction answers dunno, permit or reject (a deferral is a reject with a 4xx code), or
 * asks for a deferral flag; it never formats log lines and never throws for bad input.
 */
import type { Policy, RestrictionList } from './policy.ts';
import type { DnsQuery } from './dns-answers.ts';
import type { SmtpdCheckSession } from './smtpd-check-session.ts';
import type { SmtpdStage } from './smtpd-stage.ts';
import type { PolicyWarningCode } from './policy-log-event.ts';

/** MailErrorClass - Postfix's MAIL_ERROR_* classes; notify_classes picks from the same words. */
export type MailErrorClass = 'policy' | 'protocol' | 'bounce' | 'software' | 'resource' | 'data';

/** ReplyClass - the CLASS word of `<NAME>: CLASS rejected: REASON` (SMTPD_NAME_*). */
export type ReplyClass =
  | 'Client host'
  | 'Unverified Client host'
  | 'SASL login name'
  | 'Helo command'
  | 'Sender address'
  | 'Recipient address'
  | 'Etrn command'
  | 'Data command'
  | 'End-of-data';

/** RestrictionRequest - SMTPD_STATE as one restriction sees it while a list is evaluated. */
export interface RestrictionRequest {
  readonly session: SmtpdCheckSession;
  readonly where: SmtpdStage;          // the command being judged
  readonly helo: string | null;        // HELO name (the one being judged at HELO)
  readonly sender: string | null;      // MAIL FROM ('' = null sender; the one being judged at MAIL)
  readonly recipient: string | null;   // RCPT/VRFY address; at DATA and end of data only with one recipient
  readonly etrnDomain: string | null;  // ETRN argument
  readonly replyName: string;          // NAME of the list being evaluated (generic restrictions use it)
  readonly replyClass: ReplyClass;     // CLASS of that list
}

export type RestrictionResult =
  // warning: logged as such, one line each; warningCode says why (a table action ignored unless told otherwise)
  | { readonly kind: 'dunno'; readonly warning?: string | readonly string[]; readonly warningCode?: PolicyWarningCode }
  | { readonly kind: 'permit'; readonly replyClass?: ReplyClass; readonly replyName?: string } // whose permit to log, if not the list's
  | {
      readonly kind: 'reject' | 'defer_if_permit' | 'defer_if_reject';
      readonly errorClass: MailErrorClass;
      readonly code: number;
      readonly enh: string;
      readonly text: string;
      readonly warning?: string; // the configured reply was unusable and this one replaces it (REPLY_CODE_CONFIGURATION)
    }
  | { readonly kind: 'sleep'; readonly seconds: number } // wait, then go on (DUNNO)
  // Not known yet: the answers to these DNS queries; the request is run again once they are in.
  | { readonly kind: 'dns'; readonly queries: readonly DnsQuery[] }
  // An access-table value that names restrictions (or a class): run them in place, with NAME
  // and CLASS taken from the table's subject.
  | { readonly kind: 'evaluate'; readonly list: RestrictionList; readonly replyName: string; readonly replyClass: ReplyClass }
  // HOLD, DISCARD, REDIRECT, FILTER, BCC, PREPEND, WARN, INFO: logged and carried out for the
  // message; DISCARD also ends the request as a PERMIT.
  | { readonly kind: 'action'; readonly action: MessageAction }
  // A configuration fault met at run time: warning, then 451 4.3.5 Server configuration error.
  | { readonly kind: 'server-error'; readonly warning: string };

/** MessageAction - a delegated access-table action, with its log line's text. */
export interface MessageAction {
  readonly verb: 'hold' | 'discard' | 'redirect' | 'filter' | 'bcc' | 'prepend' | 'warn' | 'info';
  readonly argument: string;  // REDIRECT/BCC address, FILTER destination, PREPEND header, else ''
  readonly logText: string;   // `<NAME>: CLASS held for review`, `suspicious client` ...
  readonly table: string;     // the access table it came from, for the warning when it cannot be carried out
}

export type RestrictionImplementation = (
  request: RestrictionRequest,
  policy: Policy,
  argument: string | null,
) => RestrictionResult;

/** RestrictionArgument - what the word after the restriction name must be. */
export type RestrictionArgument = 'none' | 'table' | 'dns-zone' | 'number' | 'policy-service';

/** RestrictionFamily - the section of Postfix's generic_checks() it belongs to (and its file). */
export type RestrictionFamily = 'generic' | 'client' | 'helo' | 'sender' | 'recipient' | 'etrn' | 'data';

export interface RestrictionEntry {
  readonly name: string;                       // as Postfix spells it
  readonly family: RestrictionFamily;
  readonly stages: readonly SmtpdStage[];      // where its data exists; elsewhere it answers dunno
  readonly argument: RestrictionArgument;
  readonly help: string;                       // one line for the console and postconf output
  readonly aliasOf: string | null;             // older name of `aliasOf`, still accepted
  readonly implemented: boolean;               // false: known name, answers 451 4.3.5 until built
  readonly needs: 'verify' | 'policy-service' | null; // what is missing when not implemented
  readonly implementation: RestrictionImplementation | null; // null also for the pseudo restriction warn_if_reject
  readonly endsList: boolean;                  // Postfix warns that steps after it are ignored
  readonly warning: string | null;             // logged each time it runs (deprecation notices)
}
