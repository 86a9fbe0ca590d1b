/**
 * The SASL server the SMTP front authenticates against, as Postfix's xsasl_server.c picks an
 * implementation by smtpd_sasl_type and hands it smtpd_sasl_path. Only `dovecot` exists here
 * (./dovecot-auth-client.ts); any other type is refused with Postfix's words and AUTH is then
 * not offered. One server object serves the whole gateway.
 * Exports SaslServer, SaslStart, SaslStep, createSaslServer. Reads: smtpd_sasl_auth_enable,
 * smtpd_sasl_type, smtpd_sasl_path. Logs (through warn): `unsupported SASL server
 * implementation: TYPE`, a bad smtpd_sasl_path or smtpd_sasl_exceptions_networks, and the
 * Dovecot client's own warnings.
 * XXX smtpd_sasl_path is read once, when the gateway starts; a reload does not re-open it.
 */
import type { MainCf } from '../config/main-cf.ts';
import { parseSaslPath } from './sasl-path.ts';
import { readSmtpdSaslSettings } from './smtpd-sasl-settings.ts';
import { createDovecotAuthClient } from './dovecot-auth-client.ts';

export interface SaslStart {
  securityOptions: readonly string[]; // smtpd_sasl_security_options, or the TLS variant once TLS is active
  mechanism: string;               // as the SMTP client typed it; must be one of the offered ones
  initialResponse: string | null;  // base64 from the AUTH command, `=` for an empty one; null for none
  service: string;                 // `smtp`
  localAddress: string;            // the address the SMTP client connected to
  clientAddress: string;           // the SMTP client's address
  secured: boolean;                // TLS is active on the SMTP session
}

/** What one step of an exchange ends in; the SMTP front turns each into a reply. */
export type SaslStep =
  | { kind: 'ok'; username: string }                            // 235
  | { kind: 'continue'; challenge: string; respond(response: string): Promise<SaslStep> } // 334
  | { kind: 'fail'; reason: string }                            // 535; '' when the server gave none
  | { kind: 'temp'; reason: string };                           // 454: the server could not be asked

export interface SaslServer {
  /** mechanisms - the names to offer under these security options, once the server has answered its handshake; null while it cannot be reached. */
  mechanisms(securityOptions: readonly string[]): Promise<string[] | null>;
  /** authenticate - the first step of an exchange; a mechanism not offered fails without asking the server. */
  authenticate(start: SaslStart): Promise<SaslStep>;
  /** close - drop the connection; requests in flight end as temporary failures. */
  close(): Promise<void>;
}

/** createSaslServer - the server smtpd_sasl_type names, or null (with a warning) when there is none to use. */
export function createSaslServer(mainCf: MainCf, dataDir: string, warn: (text: string) => void): SaslServer | null {
  if (!mainCf.bool('smtpd_sasl_auth_enable')) return null;
  const type = mainCf.get('smtpd_sasl_type');
  if (type !== 'dovecot') {
    warn(`unsupported SASL server implementation: ${type}`);
    return null;
  }
  const pathText = mainCf.get('smtpd_sasl_path');
  const parsed = parseSaslPath(pathText, dataDir);
  if (!parsed.ok) {
    warn(parsed.error);
    return null;
  }
  const settings = readSmtpdSaslSettings(mainCf);
  for (const e of settings.ok ? [] : settings.errors) warn(`${e}; AUTH is not advertised to any client`);
  return createDovecotAuthClient({ path: parsed.path, pathText, warn });
}
