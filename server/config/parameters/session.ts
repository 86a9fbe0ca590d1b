/**
 * Registry, spec/smtpd-parameters.md section 2: session and protocol (banner, timeouts,
 * recipient limits, HELO and envelope syntax, EHLO keywords, XCLIENT, bare-LF handling).
 * The [stress] values of smtpd_timeout and smtpd_starttls_timeout are not used: these are the
 * normal values.
 */
import type { ParameterDefinition } from '../parameter-definition.ts';

export const SESSION_PARAMETERS: readonly ParameterDefinition[] = [
  {
    name: 'smtpd_banner', type: 'text', default: '$myhostname ESMTP $mail_name', stages: ['CONNECT'], nonEmpty: true,
    help: 'Text after 220 in the greeting; must start with $myhostname.',
  },
  {
    name: 'mail_name', type: 'text', default: 'Postfix', stages: ['GLOBAL'], nonEmpty: true,
    help: 'Product name in the banner and in the "by HOST (NAME)" part of Received:.',
  },
  {
    name: 'mail_version', type: 'text', default: '3.7.11', stages: ['GLOBAL'], nonEmpty: true,
    help: 'Postfix version whose behaviour this gateway reproduces; may be added to smtpd_banner.',
  },
  {
    name: 'syslog_name', type: 'text', default: 'postfix', stages: ['GLOBAL'], nonEmpty: true,
    help: 'Prefix of maillog lines (postfix/smtpd[pid]: ...).',
  },
  {
    name: 'config_directory', type: 'path', default: '/etc/postfix', stages: ['GLOBAL'], nonEmpty: true,
    help: 'Where Postfix keeps main.cf; Portcullis stores parameters in its database and only shows this value.',
  },
  {
    name: 'smtpd_timeout', type: 'time', default: '300s', timeUnit: 's', min: 1, stages: ['SESSION'],
    help: 'Limit for each read of a client command or data and each write of a reply; then 421 4.4.2 and close.',
  },
  {
    name: 'smtpd_starttls_timeout', type: 'time', default: '300s', timeUnit: 's', min: 1, stages: ['SESSION'],
    help: 'Limit for the TLS handshake after 220 2.0.0 Ready to start TLS.',
  },
  {
    name: 'smtpd_recipient_limit', type: 'int', default: '1000', min: 1, stages: ['RCPT'],
    help: 'Most recipients accepted per message; more get 452 4.5.3 Error: too many recipients.',
  },
  {
    name: 'smtpd_recipient_overshoot_limit', type: 'int', default: '1000', min: 1, stages: ['RCPT'],
    help: 'How many over-limit RCPT commands are answered 452 without counting as errors.',
  },
  {
    name: 'smtpd_helo_required', type: 'bool', default: 'no', stages: ['MAIL', 'ETRN'],
    help: 'Require HELO/EHLO before MAIL and ETRN (503 5.5.1 Error: send HELO/EHLO first).',
  },
  {
    name: 'strict_rfc821_envelopes', type: 'bool', default: 'no', stages: ['MAIL', 'RCPT'],
    help: 'Require <> around MAIL/RCPT addresses and refuse comments and display names in them.',
  },
  {
    name: 'disable_vrfy_command', type: 'bool', default: 'no', stages: ['VRFY'],
    help: 'Answer VRFY with 502 5.5.1 VRFY command is disabled and stop advertising it.',
  },
  {
    name: 'smtpd_noop_commands', type: 'list', default: '', stages: ['SESSION'],
    help: 'Verbs answered 250 2.0.0 Ok without any processing.',
  },
  {
    name: 'smtpd_forbidden_commands', type: 'list', default: 'CONNECT GET POST regexp:{{/^[^A-Z]/ Bogus}}', stages: ['SESSION'],
    help: 'Commands (or header-like Name: lines) answered 221 2.7.0 Error: I can break rules, too. Goodbye.',
  },
  {
    name: 'smtpd_discard_ehlo_keywords', type: 'list', default: '', stages: ['HELO'],
    help: 'EHLO keywords not to advertise (case-insensitive, e.g. chunking, dsn); silent-discard hides the logging.',
  },
  {
    name: 'smtputf8_enable', type: 'bool', default: 'yes', stages: ['HELO', 'MAIL'],
    help: 'Advertise SMTPUTF8 and accept the SMTPUTF8 MAIL parameter.',
  },
  {
    name: 'smtpd_history_flush_threshold', type: 'int', default: '100', min: 1, stages: ['SESSION'],
    help: 'Transcript lines kept for postmaster notices before a flush at HELO/EHLO, RSET or end of DATA.',
  },
  {
    name: 'smtpd_delay_open_until_valid_rcpt', type: 'bool', default: 'yes', stages: ['RCPT'],
    help: 'Create no queue file (queue id) until the first recipient is accepted; logs say NOQUEUE until then.',
  },
  {
    name: 'smtpd_peername_lookup', type: 'bool', default: 'yes', stages: ['CONNECT'],
    help: 'Look up the client host name (reverse and forward-confirmed); with no it is always unknown.',
  },
  {
    name: 'smtpd_client_port_logging', type: 'bool', default: 'no', stages: ['SESSION'],
    help: 'Add :port to the name[addr] client string in logs.',
  },
  {
    name: 'smtpd_reject_footer', type: 'template', default: '', stages: ['SESSION'],
    help: 'Text appended as further reply lines to 4xx/5xx replies ($client_address and the like are expanded then).',
  },
  {
    name: 'smtpd_authorized_xclient_hosts', type: 'network-list', default: '', stages: ['SESSION'],
    help: 'Clients allowed to use XCLIENT; others get 550 5.7.0 Error: insufficient authorization.',
  },
  {
    name: 'smtpd_forbid_unauth_pipelining', type: 'bool', default: 'no', stages: ['SESSION'],
    help: 'Disconnect a client that sends commands before they are allowed (554 5.5.0 Error: SMTP protocol synchronization).',
  },
  {
    name: 'smtpd_forbid_bare_newline', type: 'enum', values: ['no', 'yes', 'normalize', 'reject'], default: 'no', stages: ['SESSION', 'CONTENT'],
    help: 'Bare LF line ends (anti-SMTP-smuggling): no = accepted; normalize (= yes) = end of DATA only at CRLF.CRLF; reject = 550 5.5.2 ... bare <LF> received.',
  },
  {
    name: 'smtpd_forbid_bare_newline_exclusions', type: 'network-list', default: '$mynetworks', stages: ['SESSION', 'CONTENT'],
    help: 'Clients exempt from smtpd_forbid_bare_newline.',
  },
  {
    name: 'always_add_missing_headers', type: 'bool', default: 'no', stages: ['CONTENT'],
    help: 'Add missing Message-Id:, Date: and From: headers for every client, not only local_header_rewrite_clients.',
  },
  {
    name: 'local_header_rewrite_clients', type: 'list', default: 'permit_inet_interfaces', stages: ['CONTENT'],
    help: 'Clients whose mail gets missing Message-Id:, Date: and From: headers added (permit_inet_interfaces, permit_mynetworks, ...).',
  },
];
