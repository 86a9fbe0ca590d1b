/**
 * Registry, spec/smtpd-parameters.md sections 3, 4 and 5: resource limits (line, message,
 * header and MIME sizes, queue space, hop count), tarpit and error accounting, and the
 * anvil client rate and concurrency limits. The [stress] values of smtpd_hard_error_limit and
 * smtpd_junk_command_limit (1) are not used: these are the normal values.
 */
import type { ParameterDefinition } from '../parameter-definition.ts';

export const LIMIT_PARAMETERS: readonly ParameterDefinition[] = [
  // Section 3: resource limits.
  {
    name: 'line_length_limit', type: 'int', default: '2048', min: 512, stages: ['SESSION', 'CONTENT'],
    help: 'Longest line kept in one piece; longer commands are cut, longer message lines are split.',
  },
  {
    name: 'message_size_limit', type: 'size', default: '10240000', min: 0, stages: ['MAIL', 'CONTENT'],
    help: 'Largest message in bytes (0 = no limit); advertised as SIZE; larger gets 552 5.3.4.',
  },
  {
    name: 'queue_minfree', type: 'size', default: '0', min: 0, stages: ['MAIL'],
    help: 'Free bytes the queue file system must keep (and at least 1.5 x message_size_limit); else 452 4.3.1.',
  },
  {
    name: 'hopcount_limit', type: 'int', default: '50', min: 1, stages: ['CONTENT'],
    help: 'Refuse a message whose Received: count, ours included, reaches this (554 5.4.0 Error: too many hops).',
  },
  {
    name: 'header_size_limit', type: 'size', default: '102400', min: 1, stages: ['CONTENT'],
    help: 'Longest logical header kept; longer headers are truncated before header_checks see them.',
  },
  {
    name: 'body_checks_size_limit', type: 'size', default: '51200', min: 0, stages: ['CONTENT'],
    help: 'Bytes of each body part (MIME segment) passed to body_checks.',
  },
  {
    name: 'mime_nesting_limit', type: 'int', default: '100', min: 1, stages: ['CONTENT'],
    help: 'Depth limit of nested MIME parts.',
  },

  // Section 4: tarpit and error accounting.
  {
    name: 'smtpd_error_sleep_time', type: 'time', default: '1s', timeUnit: 's', min: 0, stages: ['SESSION'],
    help: 'Delay before every reply once the error count reaches smtpd_soft_error_limit.',
  },
  {
    name: 'smtpd_soft_error_limit', type: 'int', default: '10', min: 1, stages: ['SESSION'],
    help: 'Error count from which smtpd_error_sleep_time applies.',
  },
  {
    name: 'smtpd_hard_error_limit', type: 'int', default: '20', min: 1, stages: ['SESSION'],
    help: 'Error count at which the server sends 421 4.7.0 Error: too many errors and closes.',
  },
  {
    name: 'smtpd_junk_command_limit', type: 'int', default: '100', min: 1, stages: ['SESSION'],
    help: 'Free HELO, EHLO, NOOP, RSET, VRFY and ETRN commands per session; each further one counts as an error.',
  },

  // Section 5: client rate and concurrency limits (anvil).
  {
    name: 'smtpd_client_connection_count_limit', type: 'int', default: '50', min: 0, stages: ['CONNECT'],
    help: 'Simultaneous sessions per client address (0 = off); one more gets 421 4.7.0 Error: too many connections from ADDR instead of the banner.',
  },
  {
    name: 'smtpd_client_connection_rate_limit', type: 'int', default: '0', min: 0, stages: ['CONNECT'],
    help: 'Connection attempts per client address per anvil_rate_time_unit, refused ones included (0 = off); excess gets the same 421 4.7.0.',
  },
  {
    name: 'smtpd_client_message_rate_limit', type: 'int', default: '0', min: 0, stages: ['MAIL'],
    help: 'MAIL FROM commands per client address per anvil_rate_time_unit, accepted or not (0 = off); excess gets 450 4.7.1 Error: too much mail from ADDR.',
  },
  {
    name: 'smtpd_client_recipient_rate_limit', type: 'int', default: '0', min: 0, stages: ['RCPT'],
    help: 'RCPT TO addresses per client address per anvil_rate_time_unit, accepted or not (0 = off); excess gets 450 4.7.1 Error: too many recipients from ADDR.',
  },
  {
    name: 'smtpd_client_new_tls_session_rate_limit', type: 'int', default: '0', min: 0, stages: ['SESSION'],
    help: 'New (not resumed) TLS sessions per client address per anvil_rate_time_unit (0 = off); STARTTLS over it gets 454 4.7.0.',
  },
  {
    name: 'smtpd_client_auth_rate_limit', type: 'int', default: '0', min: 0, stages: ['SESSION'],
    help: 'AUTH commands per client address per anvil_rate_time_unit (0 = off); excess gets 450 4.7.1 Error: too many AUTH commands from ADDR.',
  },
  {
    name: 'anvil_rate_time_unit', type: 'time', default: '60s', timeUnit: 's', min: 1, stages: ['SESSION'],
    help: 'Window of all the smtpd_client_*_rate_limit counters; a client is forgotten one unit after its last session.',
  },
  {
    name: 'smtpd_client_event_limit_exceptions', type: 'network-list', default: '${smtpd_client_connection_limit_exceptions:$mynetworks}', stages: ['CONNECT'],
    help: 'Clients exempt from all anvil limits; default $mynetworks. Clients in smtpd_authorized_xclient_hosts are exempt too.',
  },
];
