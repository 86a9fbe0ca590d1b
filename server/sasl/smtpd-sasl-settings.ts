/**
 * The SMTP server's SASL parameters, read once per snapshot into a typed object so EHLO and
 * AUTH do no parsing: smtpd_sasl_security_options, smtpd_sasl_tls_security_options,
 * smtpd_sasl_exceptions_networks, broken_sasl_auth_clients, smtpd_sasl_authenticated_header.
 * Exports SmtpdSaslSettings, readSmtpdSaslSettings. The SMTP snapshot reads them once; a
 * smtpd_sasl_exceptions_networks that does not compile refuses the whole snapshot.
 */
import type { MainCf } from '../config/main-cf.ts';
import { parseNetworkList, type NetworkList } from '../policy/network-list.ts';

export interface SmtpdSaslSettings {
  smtpdSaslSecurityOptions: readonly string[];    // mechanism filter without TLS
  smtpdSaslTlsSecurityOptions: readonly string[]; // mechanism filter once TLS is active
  smtpdSaslExceptionsNetworks: NetworkList | 'all'; // clients not offered AUTH; 'all' only in a refused read
  brokenSaslAuthClients: boolean;                 // also advertise AUTH=mechanisms
  smtpdSaslAuthenticatedHeader: boolean;          // (Authenticated sender: LOGIN) in Received:
}

export type SmtpdSaslSettingsRead = { ok: true; settings: SmtpdSaslSettings } | { ok: false; errors: string[]; settings: SmtpdSaslSettings };

/** readSmtpdSaslSettings - the SASL parameters of a snapshot; errors say which list does not compile. */
export function readSmtpdSaslSettings(p: MainCf): SmtpdSaslSettingsRead {
  const parent = p.list('parent_domain_matches_subdomains').includes('smtpd_sasl_exceptions_networks');
  const exceptions = parseNetworkList('smtpd_sasl_exceptions_networks', p.get('smtpd_sasl_exceptions_networks'), parent);
  const settings: SmtpdSaslSettings = {
    smtpdSaslSecurityOptions: p.list('smtpd_sasl_security_options'),
    smtpdSaslTlsSecurityOptions: p.list('smtpd_sasl_tls_security_options'),
    smtpdSaslExceptionsNetworks: exceptions.ok ? exceptions.list : 'all',
    brokenSaslAuthClients: p.bool('broken_sasl_auth_clients'),
    smtpdSaslAuthenticatedHeader: p.bool('smtpd_sasl_authenticated_header'),
  };
  return exceptions.ok ? { ok: true, settings } : { ok: false, errors: exceptions.errors, settings };
}
