/**
 * The catalogue of maillog event codes of the gateway process: one stable code per kind of
 * line, each with one line of meaning. Structured consumers (dashboard, log search, tests)
 * key on these; the text of the line is Postfix's.
 */
export const EVENT_CODES = {
  SMTPD_CONNECT: 'a client connected (`connect from name[addr]`)',
  SMTPD_DISCONNECT: 'a session ended normally, with per-command counts',
  SMTPD_LOST_CONNECTION: 'the client went away without QUIT (`lost connection after CMD`)',
  SMTPD_TIMEOUT: 'smtpd_timeout expired (`timeout after CMD`)',
  SMTPD_TOO_MANY_ERRORS: 'smtpd_hard_error_limit reached (`too many errors after CMD`)',
  SMTPD_NON_SMTP_COMMAND: 'a forbidden or header-like command ended the session',
  SMTPD_REQUEST_TOO_LONG: 'a command line longer than line_length_limit was cut',
  SMTPD_ILLEGAL_ADDRESS: 'MAIL/RCPT/VRFY address syntax was refused',
  SMTPD_IMPROPER_PIPELINING: 'a client sent commands before it was allowed to',
  SMTPD_REJECT: 'a restriction or check refused a command (`NOQUEUE: reject: ...` or `ID: reject: ...`)',
  SMTPD_REJECT_WARNING: 'warn_if_reject: a reject that was only logged',
  SMTPD_PERMIT: 'smtpd_log_access_permit_actions: a permit that was asked to be logged',
  SMTPD_ACCESS_ACTION: 'an access table said HOLD, DISCARD, REDIRECT, FILTER, BCC, WARN or INFO (`hold: RCPT from ...`)',
  SMTPD_CLIENT: 'the first accepted recipient opened a queue file (`ID: client=name[addr]`)',
  SMTPD_SASL_FAILED: 'an AUTH exchange failed or was aborted (`SASL PLAIN authentication failed: ...`)',
  SMTPD_XCLIENT: 'an authorized client replaced the session attributes with XCLIENT',
  SMTPD_QUEUE_SPACE: 'free queue space below queue_minfree or 1.5 x message_size_limit',
  SMTPD_ETRN: 'an ETRN request was accepted or refused',
  SMTPD_SIZE_LIMIT: 'a message went over message_size_limit',
  SMTPD_WARNING: 'any other recoverable problem of the SMTP server',
  CLEANUP_MESSAGE_ID: 'a message was stored (`ID: message-id=<...>`)',
  CLEANUP_HOPCOUNT: 'a message was refused for hopcount_limit',
  QUEUE_WRITE_ERROR: 'a queue file could not be written; the client was told 451',
  GATEWAY_START: 'the gateway started and listens',
  GATEWAY_STOP: 'the gateway stopped',
  GATEWAY_RELOAD: 'a new parameter snapshot was taken',
  GATEWAY_FATAL: 'the gateway cannot run in this environment',
} as const;

export type EventCode = keyof typeof EVENT_CODES;
