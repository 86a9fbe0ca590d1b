/**
 * smtpd's side of anvil (spec/smtpd-parameters.md §5; smtpd.c, smtpd_sasl_proto.c): each
 * event of a session is counted in the front's Anvil (server/anvil) and, over its limit per
 * anvil_rate_time_unit, refused with Postfix's reply and warning.
 *   connect    over smtpd_client_connection_count_limit or _rate_limit: 421 4.7.0 instead of the banner
 *   MAIL       over smtpd_client_message_rate_limit: 450 4.7.1 Error: too much mail from ADDR
 *   RCPT       over smtpd_client_recipient_rate_limit: 450 4.7.1 Error: too many recipients from ADDR
 *   STARTTLS   over smtpd_client_new_tls_session_rate_limit: 454 4.7.0 (resumed sessions are not new)
 *   AUTH       over smtpd_client_auth_rate_limit: 450 4.7.1 Error: too many AUTH commands from ADDR
 * Exempt, as in Postfix: standalone mode, clients in smtpd_client_event_limit_exceptions
 * ($mynetworks), and clients allowed XCLIENT (smtpd_authorized_xclient_hosts), because the
 * address they announce could differ between connect and disconnect.
 * Logs (warning): `Connection concurrency limit exceeded: N from name[addr] for service smtp`,
 * `Connection rate limit exceeded: ...`, `Message delivery request rate limit exceeded: ...`,
 * `Recipient address rate limit exceeded: ...`, `New TLS session rate limit exceeded: ...`,
 * `AUTH command rate limit exceeded: ...`.
 * Exports connectToAnvil, disconnectFromAnvil, checkMessageRate, checkRecipientRate,
 * checkNewTlsRate, countNewTls, checkAuthRate.
 * XXX every listener is the one service `smtp`; Postfix counts per master.cf service.
 * XXX Postfix 3.7 does not count VRFY towards smtpd_client_recipient_rate_limit (rcpt_cmd()
 * alone asks anvil), although spec/smtpd-parameters.md says RCPT (and VRFY): neither do we.
 */
import type { Reply } from '../policy/reply.ts';
import type { EventCode } from '../log/event-codes.ts';
import { matchNetworkList } from '../policy/network-list.ts';
import { isXclientAuthorized } from './commands/helo.ts';
import type { SmtpdConnection } from './smtpd-connection.ts';

const SERVICE = 'smtp';

/** connectToAnvil - count a new session; its anvil ident (null: exempt) and the 421 that replaces the banner when over a limit. */
export function connectToAnvil(conn: SmtpdConnection): { ident: string | null; refusal: Reply | null } {
  const anvil = conn.services.anvil;
  if (!anvil || isExempt(conn)) return { ident: null, refusal: null };
  const s = conn.snapshot.settings;
  const ident = identOf(conn);
  const { count, rate } = anvil.connect(ident, Date.now());
  const reply = { code: 421, enh: '4.7.0', text: `${s.myhostname} Error: too many connections from ${conn.pfx.client.address}` };
  if (s.smtpdClientConnectionCountLimit > 0 && count > s.smtpdClientConnectionCountLimit) {
    conn.transcript.notePolicy('smtpd_client_connection_count_limit', reply);
    warn(conn, 'SMTPD_CONNECTION_COUNT_LIMIT', 'Connection concurrency limit exceeded', count);
    return { ident, refusal: reply };
  }
  if (s.smtpdClientConnectionRateLimit > 0 && rate > s.smtpdClientConnectionRateLimit) {
    warn(conn, 'SMTPD_CONNECTION_RATE_LIMIT', 'Connection rate limit exceeded', rate);
    return { ident, refusal: reply };
  }
  return { ident, refusal: null };
}

/** disconnectFromAnvil - the session counted under this ident ended. */
export function disconnectFromAnvil(conn: SmtpdConnection, ident: string): void {
  conn.services.anvil?.disconnect(ident, Date.now());
}

/** checkMessageRate - count a MAIL FROM (only while the limit is on); the 450 when over it. */
export function checkMessageRate(conn: SmtpdConnection): Reply | null {
  const limit = conn.snapshot.settings.smtpdClientMessageRateLimit;
  return checkRate(conn, limit, 'message', 'smtpd_client_message_rate_limit', 'SMTPD_MESSAGE_RATE_LIMIT',
    'Message delivery request rate limit exceeded', { code: 450, enh: '4.7.1', text: `Error: too much mail from ${conn.pfx.client.address}` });
}

/** checkRecipientRate - count a RCPT TO (only while the limit is on); the 450 when over it. */
export function checkRecipientRate(conn: SmtpdConnection): Reply | null {
  const limit = conn.snapshot.settings.smtpdClientRecipientRateLimit;
  return checkRate(conn, limit, 'recipient', 'smtpd_client_recipient_rate_limit', 'SMTPD_RECIPIENT_RATE_LIMIT',
    'Recipient address rate limit exceeded', { code: 450, enh: '4.7.1', text: `Error: too many recipients from ${conn.pfx.client.address}` });
}

/** checkAuthRate - count an AUTH command (only while the limit is on); the 450 when over it. */
export function checkAuthRate(conn: SmtpdConnection): Reply | null {
  const limit = conn.snapshot.settings.smtpdClientAuthRateLimit;
  return checkRate(conn, limit, 'auth', 'smtpd_client_auth_rate_limit', 'SMTPD_AUTH_RATE_LIMIT',
    'AUTH command rate limit exceeded', { code: 450, enh: '4.7.1', text: `Error: too many AUTH commands from ${conn.pfx.client.address}` });
}

/** checkNewTlsRate - before STARTTLS: the 454 when the client already made too many new TLS sessions (counts nothing). */
export function checkNewTlsRate(conn: SmtpdConnection): Reply | null {
  const limit = conn.snapshot.settings.smtpdClientNewTlsSessionRateLimit;
  const anvil = conn.services.anvil;
  if (limit <= 0 || !anvil || isExempt(conn)) return null;
  const rate = anvil.newTlsStatus(identOf(conn), Date.now());
  if (rate <= limit) return null;
  const reply = { code: 454, enh: '4.7.0', text: `Error: too many new TLS sessions from ${conn.pfx.client.address}` };
  conn.transcript.notePolicy('smtpd_client_new_tls_session_rate_limit', reply);
  warn(conn, 'SMTPD_NEW_TLS_RATE_LIMIT', 'New TLS session rate limit exceeded', rate);
  return reply;
}

/** countNewTls - after a handshake that did not resume an earlier session. */
export function countNewTls(conn: SmtpdConnection): void {
  const anvil = conn.services.anvil;
  if (conn.snapshot.settings.smtpdClientNewTlsSessionRateLimit <= 0 || !anvil || isExempt(conn)) return;
  anvil.newTls(identOf(conn), Date.now());
}

function checkRate(
  conn: SmtpdConnection, limit: number, event: 'message' | 'recipient' | 'auth', parameter: string,
  code: EventCode, what: string, reply: Reply,
): Reply | null {
  const anvil = conn.services.anvil;
  if (limit <= 0 || !anvil || isExempt(conn)) return null;
  const rate = anvil[event](identOf(conn), Date.now());
  if (rate <= limit) return null;
  conn.transcript.notePolicy(parameter, reply);
  warn(conn, code, what, rate);
  return reply;
}

/** isExempt - Postfix's `SMTPD_STAND_ALONE(state) == 0 && !xclient_allowed && !namadr_list_match(hogger_list, ...)`, negated. */
function isExempt(conn: SmtpdConnection): boolean {
  if (conn.services.standalone || isXclientAuthorized(conn)) return true;
  const c = conn.pfx.client;
  return matchNetworkList(conn.snapshot.clientEventLimitExceptions, c.name, c.address);
}

function identOf(conn: SmtpdConnection): string {
  return `${SERVICE}:${conn.pfx.client.address}`;
}

function warn(conn: SmtpdConnection, code: EventCode, what: string, value: number): void {
  conn.log(code, `${what}: ${value} from ${conn.clientLogText()} for service ${SERVICE}`, 'warning');
}
