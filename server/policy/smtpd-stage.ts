/**
 * The request names smtpd uses for "WHERE" in policy log lines (log_whatsup(): `reject: RCPT
 * from ...`), spec/restrictions.md section 12. Each check entry point judges one of them.
 * Exports: SMTPD_STAGES, SmtpdStage.
 */

/** SMTPD_STAGES - every request name a policy verdict can carry, in session order. */
export const SMTPD_STAGES = Object.freeze([
  'CONNECT',        // client accepted (smtpd_delay_reject = no)
  'XCLIENT',        // client restrictions re-run after XCLIENT
  'HELO',           // HELO command
  'EHLO',           // EHLO command
  'MAIL',           // MAIL FROM
  'RCPT',           // RCPT TO
  'VRFY',           // VRFY, judged like RCPT
  'ETRN',           // ETRN
  'DATA',           // the DATA command, before 354
  'END-OF-MESSAGE', // after the final dot
] as const);

export type SmtpdStage = (typeof SMTPD_STAGES)[number];
