/**
 * The SASL mechanism filter of smtpd_sasl_security_options (and smtpd_sasl_tls_security_options
 * once TLS is active), as Postfix's xsasl_dovecot_server_mech_filter() applies it to the
 * properties the Dovecot server gives each mechanism in its MECH lines.
 *   noplaintext, noactive, nodictionary, noanonymous: drop mechanisms with that property
 *   forward_secrecy, mutual_auth: keep only mechanisms with that property
 * Mechanisms marked `private` never reach this filter (the client drops them at the handshake).
 * Exports SaslMechanism, filterMechanisms.
 */

export interface SaslMechanism {
  name: string;                        // as the server lists it: PLAIN, LOGIN, CRAM-MD5...
  properties: readonly string[];       // Dovecot's words, lower-case: plaintext, anonymous...
}

// smtpd_sasl_security_options word -> the Dovecot property it is about.
const EXCLUDING: Readonly<Record<string, string>> = {
  noplaintext: 'plaintext',
  noactive: 'active',
  nodictionary: 'dictionary',
  noanonymous: 'anonymous',
};
const REQUIRING: Readonly<Record<string, string>> = {
  forward_secrecy: 'forward-secrecy',
  mutual_auth: 'mutual-auth',
};

/** filterMechanisms - the names to offer, in the server's order; unknown option words do nothing. */
export function filterMechanisms(mechanisms: readonly SaslMechanism[], securityOptions: readonly string[]): string[] {
  const options = securityOptions.map((o) => o.toLowerCase());
  const excluded = options.filter((o) => o in EXCLUDING).map((o) => EXCLUDING[o]);
  const required = options.filter((o) => o in REQUIRING).map((o) => REQUIRING[o]);
  return mechanisms
    .filter((m) => required.every((p) => m.properties.includes(p)) && !excluded.some((p) => m.properties.includes(p)))
    .map((m) => m.name);
}
