/**
 * The SMTP server's parameters, read once per snapshot into a typed object so the command
 * loop does no parsing. Everything here comes from the parameter registry
 * (server/config); names of fields are the camelCase of their main.cf names.
 * Exports SmtpdSettings and readSmtpdSettings.
 */
import type { MainCf } from '../config/main-cf.ts';

export interface SmtpdSettings {
  myhostname: string;
  myorigin: string;
  mailName: string;
  smtpdBanner: string;
  smtpdTimeoutMs: number;
  lineLengthLimit: number;
  messageSizeLimit: number;                // 0 = unlimited
  queueMinfree: number;
  hopcountLimit: number;
  smtpdRecipientLimit: number;
  smtpdRecipientOvershootLimit: number;
  smtpdErrorSleepTimeMs: number;
  smtpdSoftErrorLimit: number;
  smtpdHardErrorLimit: number;
  smtpdJunkCommandLimit: number;
  smtpdHeloRequired: boolean;
  strictRfc821Envelopes: boolean;
  disableVrfyCommand: boolean;
  smtputf8Enable: boolean;
  smtpdNoopCommands: Set<string>;          // upper-case verbs
  smtpdForbiddenCommands: ForbiddenCommands;
  smtpdDiscardEhloKeywords: Set<string>;   // upper-case keywords
  smtpdForbidBareNewline: 'no' | 'normalize' | 'reject'; // `yes` is Postfix's alias of normalize
  smtpdForbidBareNewlineRejectCode: number;
  softBounce: boolean;
  smtpdRejectFooter: string;
  smtpdTlsSecurityLevel: '' | 'none' | 'may' | 'encrypt';
  smtpdTlsCertFile: string;
  smtpdTlsKeyFile: string;
  smtpdTlsAuthOnly: boolean;
  smtpdTlsAskCcert: boolean;       // smtpd_tls_ask_ccert (or _req_ccert): ask the client for a certificate
  smtpdTlsCAfile: string;          // smtpd_tls_CAfile: the authorities client certificates are verified against
  smtpdTlsFingerprintDigest: string; // smtpd_tls_fingerprint_digest
  smtpdSaslAuthEnable: boolean;
  smtpdPeernameLookup: boolean;
  smtpdClientPortLogging: boolean;
  smtpdForbidUnauthPipelining: boolean;
  smtpdClientConnectionCountLimit: number;   // anvil: sessions at once per client; 0 = off
  smtpdClientConnectionRateLimit: number;    // anvil: connections per client per time unit; 0 = off
  smtpdClientMessageRateLimit: number;       // anvil: MAIL FROM per client per time unit; 0 = off
  smtpdClientRecipientRateLimit: number;     // anvil: RCPT TO per client per time unit; 0 = off
  smtpdClientNewTlsSessionRateLimit: number; // anvil: new TLS sessions per client per time unit; 0 = off
  smtpdClientAuthRateLimit: number;          // anvil: AUTH per client per time unit; 0 = off
  anvilRateTimeUnitMs: number;               // anvil_rate_time_unit
}

export interface ForbiddenCommands {
  verbs: Set<string>;                      // upper-case literal verbs
  patterns: RegExp[];                      // from inline regexp:{{/re/ result}} items
}

/** parseForbiddenCommands - literal verbs and inline `regexp:{{/pattern/ action}}` tables. */
export function parseForbiddenCommands(value: string): ForbiddenCommands {
  const verbs = new Set<string>();
  const patterns: RegExp[] = [];
  const inline = /(?:regexp|pcre):\{\{?\s*(.*?)\s*\}\}?/g;
  for (const m of value.matchAll(inline)) {
    const rule = /^\/(.*)\/([a-zA-Z]*)\s*(.*)$/.exec(m[1]);
    if (rule) {
      // Postfix regexp tables match case-insensitively unless the `i` flag toggles it off.
      const sensitive = rule[2].includes('i');
      patterns.push(new RegExp(rule[1], sensitive ? '' : 'i'));
    }
  }
  for (const word of value.replace(inline, ' ').split(/[\s,]+/)) {
    if (word) verbs.add(word.toUpperCase());
  }
  return { verbs, patterns };
}

/** readSmtpdSettings - the SMTP server's view of a parameter snapshot. */
export function readSmtpdSettings(p: MainCf): SmtpdSettings {
  const upperSet = (name: string) => new Set(p.list(name).map((s) => s.toUpperCase()));
  const level = p.get('smtpd_tls_security_level') as SmtpdSettings['smtpdTlsSecurityLevel'];
  return {
    myhostname: p.get('myhostname'),
    myorigin: p.get('myorigin'),
    mailName: p.get('mail_name'),
    smtpdBanner: p.get('smtpd_banner'),
    smtpdTimeoutMs: p.seconds('smtpd_timeout') * 1000,
    lineLengthLimit: p.int('line_length_limit'),
    messageSizeLimit: p.size('message_size_limit'),
    queueMinfree: p.size('queue_minfree'),
    hopcountLimit: p.int('hopcount_limit'),
    smtpdRecipientLimit: p.int('smtpd_recipient_limit'),
    smtpdRecipientOvershootLimit: p.int('smtpd_recipient_overshoot_limit'),
    smtpdErrorSleepTimeMs: p.seconds('smtpd_error_sleep_time') * 1000,
    smtpdSoftErrorLimit: p.int('smtpd_soft_error_limit'),
    smtpdHardErrorLimit: p.int('smtpd_hard_error_limit'),
    smtpdJunkCommandLimit: p.int('smtpd_junk_command_limit'),
    smtpdHeloRequired: p.bool('smtpd_helo_required'),
    strictRfc821Envelopes: p.bool('strict_rfc821_envelopes'),
    disableVrfyCommand: p.bool('disable_vrfy_command'),
    smtputf8Enable: p.bool('smtputf8_enable'),
    smtpdNoopCommands: upperSet('smtpd_noop_commands'),
    smtpdForbiddenCommands: parseForbiddenCommands(p.get('smtpd_forbidden_commands')),
    smtpdDiscardEhloKeywords: upperSet('smtpd_discard_ehlo_keywords'),
    smtpdForbidBareNewline: readBareNewline(p.get('smtpd_forbid_bare_newline')),
    smtpdForbidBareNewlineRejectCode: p.code('smtpd_forbid_bare_newline_reject_code'),
    softBounce: p.bool('soft_bounce'),
    smtpdRejectFooter: p.get('smtpd_reject_footer'),
    smtpdTlsSecurityLevel: p.bool('smtpd_enforce_tls') ? 'encrypt' : level || (p.bool('smtpd_use_tls') ? 'may' : ''),
    smtpdTlsCertFile: p.get('smtpd_tls_cert_file'),
    smtpdTlsKeyFile: p.get('smtpd_tls_key_file'),
    smtpdTlsAuthOnly: p.bool('smtpd_tls_auth_only'),
    smtpdTlsAskCcert: p.bool('smtpd_tls_ask_ccert') || p.bool('smtpd_tls_req_ccert'),
    smtpdTlsCAfile: p.get('smtpd_tls_CAfile'),
    smtpdTlsFingerprintDigest: p.get('smtpd_tls_fingerprint_digest'),
    smtpdSaslAuthEnable: p.bool('smtpd_sasl_auth_enable'),
    smtpdPeernameLookup: p.bool('smtpd_peername_lookup'),
    smtpdClientPortLogging: p.bool('smtpd_client_port_logging'),
    smtpdForbidUnauthPipelining: p.bool('smtpd_forbid_unauth_pipelining'),
    smtpdClientConnectionCountLimit: p.int('smtpd_client_connection_count_limit'),
    smtpdClientConnectionRateLimit: p.int('smtpd_client_connection_rate_limit'),
    smtpdClientMessageRateLimit: p.int('smtpd_client_message_rate_limit'),
    smtpdClientRecipientRateLimit: p.int('smtpd_client_recipient_rate_limit'),
    smtpdClientNewTlsSessionRateLimit: p.int('smtpd_client_new_tls_session_rate_limit'),
    smtpdClientAuthRateLimit: p.int('smtpd_client_auth_rate_limit'),
    anvilRateTimeUnitMs: p.seconds('anvil_rate_time_unit') * 1000,
  };
}

/** readBareNewline - smtpd_forbid_bare_newline as Postfix 3.7.11 reads it: yes means normalize. */
function readBareNewline(value: string): SmtpdSettings['smtpdForbidBareNewline'] {
  const v = value.toLowerCase();
  if (v === 'reject') return 'reject';
  return v === 'yes' || v === 'normalize' ? 'normalize' : 'no';
}
