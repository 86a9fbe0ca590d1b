/**
 * What a policy decision asks the log to say besides its verdict: the facts of Postfix's
 * log_whatsup() lines (`reject_warning: RCPT from name[addr]: TEXT; from=<s> to=<r> proto=ESMTP
 * helo=<h>`, spec/restrictions.md section 12) and msg_warn() warnings, each with a stable
 * code. The front adds queue id, client and protocol and writes the line through server/log.
 * Exports: LogContext, POLICY_WARNING_CODES, PolicyWarningCode, PolicyLogEvent.
 */
import type { Reply } from './reply.ts';
import type { MessageAction } from './restriction.ts';
import type { SmtpdStage } from './smtpd-stage.ts';

/** LogContext - the request part of a policy log line; null fields are left out of the line. */
export interface LogContext {
  readonly where: SmtpdStage;        // RCPT, MAIL, CONNECT ...
  readonly sender: string | null;    // from=<...> ('' logs as from=<>)
  readonly recipient: string | null; // to=<...>
  readonly helo: string | null;      // helo=<...>
}

/** POLICY_WARNING_CODES - one line of meaning each; the text of the warning is Postfix's. */
export const POLICY_WARNING_CODES = {
  UNKNOWN_RESTRICTION: 'a list names a restriction nobody knows; the request got 451 4.3.5',
  RESTRICTION_NOT_IMPLEMENTED: 'a known restriction that Portcullis does not run yet; the request got 451 4.3.5',
  BARE_TABLE_WITHOUT_DEFAULT: 'a bare type:table in a list that has no default check_*_access; 451 4.3.5',
  REPLY_CODE_CONFIGURATION: 'a reply code outside 400-599 was configured; 450 4.7.1 Service unavailable was sent',
  DSN_CONFIGURATION: 'a malformed enhanced status code was configured; 450 4.7.1 Service unavailable was sent',
  DEPRECATED_RESTRICTION: 'a restriction Postfix will drop ran; Postfix logs this once per smtpd process',
  RESTRICTION_IGNORED: 'steps after permit, reject, defer or check_relay_domains never run',
  ACCESS_TABLE_CONFIGURATION: 'an access-table value cannot be carried out (OK where forbidden, a table inside a value ...); 451 4.3.5',
  ACTION_IGNORED: 'an access-table action (HOLD, FILTER ...) was skipped: no message to act on, or an unusable argument',
  DNS_LOOKUP_ERROR: 'a DNS list or MX/NS/A host lookup failed temporarily and counted as nothing found (`RBL lookup error`)',
} as const;

export type PolicyWarningCode = keyof typeof POLICY_WARNING_CODES;

export type PolicyLogEvent =
  | {
      readonly kind: 'reject_warning';  // warn_if_reject: what would have been refused
      readonly reply: Reply;
      readonly restriction: string;
      readonly parameter: string;
      readonly context: LogContext;
    }
  | {
      readonly kind: 'permit';          // smtpd_log_access_permit_actions matched
      readonly text: string;            // e.g. 'action=permit_mynetworks for Client host=h[192.0.2.1]'
      readonly restriction: string;
      readonly parameter: string;
      readonly context: LogContext;
    }
  | {
      readonly kind: 'action';          // an access-table HOLD, DISCARD, WARN ...: `hold: RCPT from ...: TEXT; from=...`
      readonly action: MessageAction;
      readonly restriction: string;
      readonly context: LogContext;
    }
  | {
      readonly kind: 'warning';         // logged as `warning: TEXT`
      readonly code: PolicyWarningCode;
      readonly text: string;
    };
