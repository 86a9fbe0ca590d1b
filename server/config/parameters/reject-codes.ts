/**
 * Registry, spec/smtpd-parameters.md section 7: the *_reject_code family. Each sets only the
 * reply number of one restriction's reply; the enhanced status code is fixed per restriction
 * (restrictions.md) and its class follows the reply's first digit.
 * The defer codes of address verification must stay below 500 (Postfix checks 200..499).
 */
import type { ParameterDefinition } from '../parameter-definition.ts';
import type { SmtpStage } from '../smtp-stage.ts';

// "any list": a code used by a restriction that may appear in every restriction list.
const ANY_LIST: readonly SmtpStage[] = ['CONNECT', 'HELO', 'MAIL', 'RCPT', 'VRFY', 'DATA', 'EOD', 'ETRN'];

function code(name: string, value: string, stages: readonly SmtpStage[], help: string, max?: number): ParameterDefinition {
  return max === undefined
    ? { name, type: 'code', default: value, stages, help }
    : { name, type: 'code', default: value, stages, help, max };
}

export const REJECT_CODE_PARAMETERS: readonly ParameterDefinition[] = [
  code('reject_code', '554', ANY_LIST, 'Reply code of the reject restriction.'),
  code('defer_code', '450', ANY_LIST, 'Reply code of the defer restriction.'),
  code('access_map_reject_code', '554', ANY_LIST, 'Reply code of REJECT in an access table.'),
  code('access_map_defer_code', '450', ANY_LIST, 'Reply code of DEFER, DEFER_IF_PERMIT and DEFER_IF_REJECT in an access table.'),
  code('relay_domains_reject_code', '554', ['RCPT'], 'Reply code of reject_unauth_destination; defer_unauth_destination uses this minus 100.'),
  code('invalid_hostname_reject_code', '501', ['HELO', 'RCPT'], 'Reply code of reject_invalid_helo_hostname and malformed [address] HELO literals.'),
  code('unknown_hostname_reject_code', '450', ['HELO', 'RCPT'], 'Reply code of reject_unknown_helo_hostname when the name has no A, AAAA or MX record.'),
  code('unknown_client_reject_code', '450', ['CONNECT', 'RCPT'], 'Reply code of reject_unknown_client_hostname and reject_unknown_reverse_client_hostname (permanent failures).'),
  code('unknown_address_reject_code', '450', ['MAIL', 'RCPT'], 'Reply code of reject_unknown_sender_domain and reject_unknown_recipient_domain for "domain not found".'),
  code('maps_rbl_reject_code', '554', ANY_LIST, 'Reply code of reject_rbl_client and the reject_rhsbl_* restrictions.'),
  code('non_fqdn_reject_code', '504', ['HELO', 'MAIL', 'RCPT'], 'Reply code of reject_non_fqdn_helo_hostname, _sender and _recipient.'),
  code('multi_recipient_bounce_reject_code', '550', ['DATA', 'RCPT'], 'Reply code of reject_multi_recipient_bounce.'),
  code('plaintext_reject_code', '450', ANY_LIST, 'Reply code of reject_plaintext_session.'),
  code('unknown_local_recipient_reject_code', '550', ['RCPT'], 'Reply code for unknown users in mydestination domains (local_recipient_maps).'),
  code('unknown_relay_recipient_reject_code', '550', ['RCPT'], 'Reply code for unknown users in relay_domains (relay_recipient_maps).'),
  code('unknown_virtual_alias_reject_code', '550', ['RCPT'], 'Reply code for unknown users in virtual_alias_domains.'),
  code('unknown_virtual_mailbox_reject_code', '550', ['RCPT'], 'Reply code for unknown users in virtual_mailbox_domains.'),
  code('unverified_sender_reject_code', '450', ['RCPT'], 'Reply code of reject_unverified_sender when the address is known to bounce.'),
  code('unverified_recipient_reject_code', '450', ['RCPT'], 'Reply code of reject_unverified_recipient when the address is known to bounce.'),
  code('unverified_sender_defer_code', '450', ['RCPT'], 'Reply code of reject_unverified_sender when the probe failed temporarily (4xx only).', 499),
  code('unverified_recipient_defer_code', '450', ['RCPT'], 'Reply code of reject_unverified_recipient when the probe failed temporarily (4xx only).', 499),
  code('smtpd_forbid_bare_newline_reject_code', '550', ['SESSION', 'CONTENT'], 'Reply code of the bare <LF> rejection (smtpd_forbid_bare_newline).'),
];
