/**
 * Test-side rendering of a policy verdict or event as Postfix's log_whatsup() line, so that
 * cases can state the expected maillog line (spec/restrictions.md section 12). The gateway's
 * own line builder lives in server/log; this one only joins the facts a verdict carries.
 * Exports: whatsupLine.
 */
import type { LogContext } from '../../../server/policy/policy-log-event.ts';
import type { SmtpdCheckSession } from '../../../server/policy/smtpd-check-session.ts';

/** whatsupLine - `NOQUEUE: ACTION: WHERE from name[addr]: TEXT; from=<..> to=<..> proto=.. helo=<..>`. */
export function whatsupLine(action: string, text: string, context: LogContext, session: SmtpdCheckSession): string {
  let line = `NOQUEUE: ${action}: ${context.where} from ${session.clientName}[${session.clientAddress}]: ${text};`;
  if (context.sender !== null) line += ` from=<${context.sender}>`;
  if (context.recipient !== null) line += ` to=<${context.recipient}>`;
  line += ` proto=${session.protocol}`;
  if (context.helo !== null) line += ` helo=<${context.helo}>`;
  return line;
}
