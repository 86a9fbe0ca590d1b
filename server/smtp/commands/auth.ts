/**
 * AUTH (RFC 4954; spec/protocol.md §3 STARTTLS and AUTH), as Postfix's smtpd_sasl_proto.c and
 * smtpd_sasl_glue.c run it against the SASL server of smtpd_sasl_type (server/sasl). Checks,
 * in order: HELO/EHLO first, SASL active (smtpd_sasl_auth_enable, smtpd_tls_auth_only before
 * TLS, AUTH in smtpd_discard_ehlo_keywords), no transaction, not yet authenticated, syntax.
 * Then smtpd_client_auth_rate_limit (anvil: 450 4.7.1) and the exchange: `334 challenge`
 * lines until the server decides; the client's `*` aborts.
 * Success sets the login (sasl_username, sasl_method) that permit_sasl_authenticated, the
 * `client=` log line and Received: (ESMTPA) use. STARTTLS clears it.
 * Exports authCommand, isSaslActive, ehloAuthKeywords (the AUTH lines of the EHLO reply).
 * Reads: smtpd_sasl_auth_enable, smtpd_tls_auth_only, smtpd_sasl_security_options,
 * smtpd_sasl_tls_security_options, smtpd_sasl_exceptions_networks, broken_sasl_auth_clients.
 * Logs: `warning: name[addr]: SASL MECH authentication failed: REASON` and `... aborted`;
 * never the AUTH arguments nor the responses (they carry passwords).
 * XXX smtpd_sasl_response_limit (500 5.5.6) is not enforced: responses are cut at
 * line_length_limit like any line.
 */
import { matchNetworkList } from '../../policy/network-list.ts';
import type { SaslStep } from '../../sasl/sasl-server.ts';
import type { CommandHandler, CommandResult } from '../command-table.ts';
import type { SmtpdConnection } from '../smtpd-connection.ts';
import { checkAuthRate } from '../client-event-limits.ts';

export const authCommand: CommandHandler = async (conn, args) => {
  const session = conn.pfx;
  if (!session.helo) {
    await conn.reply({ code: 503, enh: '5.5.1', text: 'Error: send HELO/EHLO first' });
    return 'error';
  }
  if (!isSaslActive(conn)) {
    await conn.reply({ code: 503, enh: '5.5.1', text: 'Error: authentication not enabled' });
    return 'error';
  }
  if (session.transaction) {
    await conn.reply({ code: 503, enh: '5.5.1', text: 'Error: MAIL transaction in progress' });
    return 'error';
  }
  if (session.saslUsername !== null) {
    await conn.reply({ code: 503, enh: '5.5.1', text: 'Error: already authenticated' });
    return 'error';
  }
  const words = args.split(/[ \t]+/).filter(Boolean);
  if (words.length < 1 || words.length > 2) {
    await conn.reply({ code: 501, enh: '5.5.4', text: 'Syntax: AUTH mechanism' });
    return 'error';
  }
  const overRate = checkAuthRate(conn);
  if (overRate) {
    await conn.reply(overRate);
    return 'error';
  }
  const sasl = conn.services.sasl;
  if (!sasl) {
    // smtpd_sasl_type names no server we have (the gateway warned at start): AUTH was not offered.
    await conn.reply({ code: 454, enh: '4.7.0', text: 'Temporary authentication failure: no SASL backend configured' });
    return 'error';
  }
  const [mechanism, initialResponse = null] = words;
  const step = await sasl.authenticate({
    securityOptions: securityOptions(conn),
    mechanism,
    initialResponse,
    service: 'smtp',
    localAddress: conn.localAddress,
    clientAddress: session.client.address,
    secured: session.tls,
  });
  return conclude(conn, mechanism, step);
};

/** conclude - the reply to one step; a challenge waits for the client's next line ('pending'). */
async function conclude(conn: SmtpdConnection, mechanism: string, step: SaslStep): Promise<CommandResult> {
  const session = conn.pfx;
  switch (step.kind) {
    case 'continue':
      await conn.reply({ code: 334, enh: null, text: step.challenge });
      conn.expectLine(async (line) => {
        const result = line === '*' ? await abort(conn, mechanism) : await conclude(conn, mechanism, await step.respond(line));
        if (result !== 'pending') await conn.afterCommand('auth', result);
      });
      return 'pending';
    case 'ok':
      await conn.reply({ code: 235, enh: '2.7.0', text: 'Authentication successful' });
      session.saslUsername = step.username;
      session.saslMethod = mechanism;
      return 'ok';
    case 'fail':
    case 'temp': {
      const reason = step.reason || '(reason unavailable)';
      conn.log('SMTPD_SASL_FAILED', `${conn.clientLogText()}: SASL ${mechanism} authentication failed: ${reason}`, 'warning');
      // RFC 4954 §6: 454 when the server could not be asked, 535 when it said no.
      await conn.reply(step.kind === 'temp'
        ? { code: 454, enh: '4.7.0', text: `Temporary authentication failure: ${reason}` }
        : { code: 535, enh: '5.7.8', text: `Error: authentication failed: ${reason}` });
      return 'error';
    }
  }
}

/** abort - the client answered a challenge with `*`. */
async function abort(conn: SmtpdConnection, mechanism: string): Promise<'error'> {
  conn.log('SMTPD_SASL_FAILED', `${conn.clientLogText()}: SASL ${mechanism} authentication aborted`, 'warning');
  await conn.reply({ code: 501, enh: '5.7.0', text: 'Authentication aborted' });
  return 'error';
}

/** isSaslActive - AUTH may be used in this session now (Postfix's smtpd_sasl_is_active() and the discard mask). */
export function isSaslActive(conn: SmtpdConnection): boolean {
  const s = conn.snapshot.settings;
  if (conn.services.standalone || !s.smtpdSaslAuthEnable || s.smtpdDiscardEhloKeywords.has('AUTH')) return false;
  return !s.smtpdTlsAuthOnly || conn.pfx.tls;
}

/**
 * ehloAuthKeywords - `AUTH PLAIN LOGIN` (and `AUTH=PLAIN LOGIN` with broken_sasl_auth_clients)
 * when AUTH is active, the client is not in smtpd_sasl_exceptions_networks and the SASL server
 * has answered with at least one mechanism; otherwise nothing. The first EHLO of a gateway
 * waits for the SASL server's handshake (at most its timeout, 10 s).
 */
export async function ehloAuthKeywords(conn: SmtpdConnection): Promise<string[]> {
  if (!isSaslActive(conn) || !conn.services.sasl) return [];
  const settings = conn.snapshot.sasl;
  const exceptions = settings.smtpdSaslExceptionsNetworks;
  const client = conn.pfx.client;
  if (exceptions === 'all' || matchNetworkList(exceptions, client.name, client.address)) return [];
  const mechanisms = await conn.services.sasl.mechanisms(securityOptions(conn));
  if (!mechanisms || !mechanisms.length) return [];
  const list = mechanisms.join(' ');
  return settings.brokenSaslAuthClients ? [`AUTH ${list}`, `AUTH=${list}`] : [`AUTH ${list}`];
}

// Postfix activates SASL with smtpd_sasl_tls_security_options once TLS is on.
function securityOptions(conn: SmtpdConnection): readonly string[] {
  const settings = conn.snapshot.sasl;
  return conn.pfx.tls ? settings.smtpdSaslTlsSecurityOptions : settings.smtpdSaslSecurityOptions;
}
