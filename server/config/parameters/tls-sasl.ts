/**
 * Registry, spec/smtpd-parameters.md section 10: TLS and SASL basics of the SMTP server.
 * smtpd_sasl_type and smtpd_sasl_path name the SASL server as in Postfix; only `dovecot`
 * is implemented (server/sasl).
 */
import type { ParameterDefinition } from '../parameter-definition.ts';

const CIPHER_GRADES = ['export', 'low', 'medium', 'high', 'null'] as const;

export const TLS_SASL_PARAMETERS: readonly ParameterDefinition[] = [
  {
    name: 'smtpd_tls_security_level', type: 'enum', default: '', values: ['', 'none', 'may', 'encrypt'], stages: ['SESSION'],
    help: 'may: offer STARTTLS; encrypt: also require it before mail (530 5.7.0 Must issue a STARTTLS command first); empty: no TLS.',
  },
  {
    name: 'smtpd_tls_cert_file', type: 'path', default: '', stages: ['SESSION'],
    help: 'PEM file with the server certificate chain.',
  },
  {
    name: 'smtpd_tls_key_file', type: 'path', default: '$smtpd_tls_cert_file', stages: ['SESSION'],
    help: 'PEM file with the server private key.',
  },
  {
    name: 'smtpd_tls_chain_files', type: 'list', default: '', stages: ['SESSION'],
    help: 'PEM files each holding a key followed by its certificate chain (alternative to the cert and key files).',
  },
  {
    name: 'smtpd_tls_auth_only', type: 'bool', default: 'no', stages: ['SESSION'],
    help: 'Offer and accept AUTH only after STARTTLS.',
  },
  {
    name: 'smtpd_tls_protocols', type: 'text', default: '>=TLSv1', stages: ['SESSION'],
    help: 'TLS versions allowed with opportunistic TLS (e.g. >=TLSv1.2).',
  },
  {
    name: 'smtpd_tls_mandatory_protocols', type: 'text', default: '>=TLSv1', stages: ['SESSION'],
    help: 'TLS versions allowed when TLS is mandatory.',
  },
  {
    name: 'smtpd_tls_ciphers', type: 'enum', default: 'medium', values: CIPHER_GRADES, nonEmpty: true, stages: ['SESSION'],
    help: 'Cipher grade with opportunistic TLS: export, low, medium, high or null.',
  },
  {
    name: 'smtpd_tls_mandatory_ciphers', type: 'enum', default: 'medium', values: CIPHER_GRADES, nonEmpty: true, stages: ['SESSION'],
    help: 'Cipher grade when TLS is mandatory.',
  },
  {
    name: 'smtpd_tls_received_header', type: 'bool', default: 'no', stages: ['CONTENT'],
    help: 'Add the TLS protocol and cipher as comment lines in Received:.',
  },
  {
    name: 'smtpd_tls_loglevel', type: 'int', default: '0', min: 0, stages: ['SESSION'],
    help: 'TLS log verbosity, 0 to 4.',
  },
  {
    name: 'smtpd_tls_ask_ccert', type: 'bool', default: 'no', stages: ['SESSION'],
    help: 'Ask the client for a certificate.',
  },
  {
    name: 'smtpd_tls_req_ccert', type: 'bool', default: 'no', stages: ['SESSION'],
    help: 'Require a client certificate (with mandatory TLS).',
  },
  {
    name: 'smtpd_tls_CAfile', type: 'path', default: '', stages: ['SESSION'],
    help: 'PEM file of the certification authorities that client certificates are verified against.',
  },
  {
    name: 'smtpd_tls_fingerprint_digest', type: 'enum', default: 'sha256', values: ['md5', 'sha1', 'sha256', 'sha512'], nonEmpty: true, stages: ['SESSION'],
    help: 'Digest of client certificate fingerprints for permit_tls_clientcerts and check_ccert_access.',
  },
  {
    name: 'smtpd_use_tls', type: 'bool', default: 'no', stages: ['SESSION'],
    help: 'Obsolete spelling of smtpd_tls_security_level = may.',
  },
  {
    name: 'smtpd_enforce_tls', type: 'bool', default: 'no', stages: ['SESSION'],
    help: 'Obsolete spelling of smtpd_tls_security_level = encrypt.',
  },
  {
    name: 'smtpd_sasl_auth_enable', type: 'bool', default: 'no', stages: ['SESSION'],
    help: 'Offer AUTH in EHLO; with no, AUTH gets 503 5.5.1 and permit_sasl_authenticated never matches.',
  },
  {
    name: 'smtpd_sasl_type', type: 'text', default: 'cyrus', nonEmpty: true, stages: ['SESSION'],
    help: 'SASL server implementation: dovecot (the Dovecot auth protocol); cyrus is not supported.',
  },
  {
    name: 'smtpd_sasl_path', type: 'text', default: 'smtpd', nonEmpty: true, stages: ['SESSION'],
    help: 'Dovecot auth socket: a UNIX socket path (relative to the data folder) or inet:host:port.',
  },
  {
    name: 'smtpd_sasl_security_options', type: 'list', default: 'noanonymous', stages: ['SESSION'],
    values: ['noanonymous', 'noplaintext', 'noactive', 'nodictionary', 'forward_secrecy', 'mutual_auth'],
    help: 'Properties every offered mechanism must have (noanonymous, noplaintext, ...).',
  },
  {
    name: 'smtpd_sasl_tls_security_options', type: 'list', default: '$smtpd_sasl_security_options', stages: ['SESSION'],
    values: ['noanonymous', 'noplaintext', 'noactive', 'nodictionary', 'forward_secrecy', 'mutual_auth'],
    help: 'Mechanism properties required once TLS is active (replaces smtpd_sasl_security_options then).',
  },
  {
    name: 'smtpd_sasl_authenticated_header', type: 'bool', default: 'no', stages: ['CONTENT'],
    help: 'Add (Authenticated sender: LOGIN) to Received:.',
  },
  {
    name: 'smtpd_sasl_exceptions_networks', type: 'network-list', default: '', stages: ['HELO'],
    help: 'Clients not offered AUTH in the EHLO reply (AUTH still works if they try).',
  },
  {
    name: 'broken_sasl_auth_clients', type: 'bool', default: 'no', stages: ['HELO'],
    help: 'Also advertise AUTH=mechanisms for old Outlook clients.',
  },
];
