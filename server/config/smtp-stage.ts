/**
 * The SMTP stages, drawn once: when a main.cf parameter matters (spec/smtpd-parameters.md,
 * "Conventions", Stage). The registry, the policy table, logs and the console all read this list.
 * Exports: SMTP_STAGES, SmtpStage.
 */

/** SMTP_STAGES - every stage name in the order a session meets them, then the queue and GLOBAL. */
export const SMTP_STAGES = [
  'CONNECT', // new connection, before the banner
  'HELO',    // HELO/EHLO
  'MAIL',    // MAIL FROM
  'RCPT',    // RCPT TO
  'DATA',    // the DATA command, before 354
  'CONTENT', // while message text arrives
  'EOD',     // after the final dot, before the reply
  'ETRN',    // ETRN
  'VRFY',    // VRFY
  'SESSION', // any time during the session
  'QUEUE',   // after acceptance: queue manager and delivery
  'GLOBAL',  // identity and settings used by many parts
] as const;

export type SmtpStage = (typeof SMTP_STAGES)[number];
