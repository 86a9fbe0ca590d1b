/**
 * Registry, spec/smtpd-parameters.md section 6: the restriction lists and the policy knobs
 * beside them (smtpd_delay_reject, restriction classes, RBL replies, login maps, unlisted
 * recipients, tempfail actions), plus smtpd_log_access_permit_actions (restrictions.md §12).
 * The lists' syntax is checked by the policy compiler, not here. smtpd_policy_service_* is
 * left out on purpose (section 12).
 */
import type { ParameterDefinition } from '../parameter-definition.ts';

const TEMPFAIL_ACTIONS = ['defer', 'defer_if_permit'] as const;

export const RESTRICTION_LIST_PARAMETERS: readonly ParameterDefinition[] = [
  {
    name: 'smtpd_client_restrictions', type: 'restriction-list', default: '', stages: ['CONNECT', 'RCPT'],
    help: 'Restrictions on the connecting client; run at RCPT with smtpd_delay_reject = yes.',
  },
  {
    name: 'smtpd_helo_restrictions', type: 'restriction-list', default: '', stages: ['HELO', 'RCPT'],
    help: 'Restrictions on the HELO/EHLO argument; run at RCPT with smtpd_delay_reject = yes.',
  },
  {
    name: 'smtpd_sender_restrictions', type: 'restriction-list', default: '', stages: ['MAIL', 'RCPT'],
    help: 'Restrictions on the MAIL FROM address; run at RCPT with smtpd_delay_reject = yes.',
  },
  {
    name: 'smtpd_relay_restrictions', type: 'restriction-list', default: 'permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination', stages: ['RCPT'],
    help: 'Relay permission for each RCPT; empty leaves relay control to smtpd_recipient_restrictions.',
  },
  {
    name: 'smtpd_recipient_restrictions', type: 'restriction-list', default: '', stages: ['RCPT', 'VRFY'],
    help: 'Spam policy for each RCPT (and VRFY).',
  },
  {
    name: 'smtpd_relay_before_recipient_restrictions', type: 'bool', default: 'yes', stages: ['RCPT'],
    help: 'Evaluate smtpd_relay_restrictions before smtpd_recipient_restrictions (no: recipient list first).',
  },
  {
    name: 'smtpd_data_restrictions', type: 'restriction-list', default: '', stages: ['DATA'],
    help: 'Restrictions checked when the client sends DATA, before 354.',
  },
  {
    name: 'smtpd_end_of_data_restrictions', type: 'restriction-list', default: '', stages: ['EOD'],
    help: 'Restrictions checked after the final dot, before the message is committed.',
  },
  {
    name: 'smtpd_etrn_restrictions', type: 'restriction-list', default: '', stages: ['ETRN'],
    help: 'Who may use ETRN and for which domains; empty = everyone, any eligible domain.',
  },
  {
    name: 'smtpd_restriction_classes', type: 'list', default: '', stages: ['GLOBAL'],
    help: 'Names of user-defined restriction classes; each name is then a parameter holding a restriction list.',
  },
  {
    name: 'smtpd_delay_reject', type: 'bool', default: 'yes', stages: ['RCPT'],
    help: 'Run the client, helo and sender lists at each RCPT (yes) instead of at their own commands (no).',
  },
  {
    name: 'smtpd_null_access_lookup_key', type: 'text', default: '<>', stages: ['MAIL', 'RCPT'],
    help: 'Key looked up instead of the null sender address in check_sender_access.',
  },
  {
    name: 'permit_mx_backup_networks', type: 'network-list', default: '', stages: ['RCPT'],
    help: 'When set, permit_mx_backup only helps domains whose primary MX hosts are in these networks.',
  },
  {
    name: 'maps_rbl_domains', type: 'list', default: '', stages: ['RCPT'],
    help: 'DNS zones of the obsolete reject_maps_rbl; use reject_rbl_client ZONE instead.',
  },
  {
    name: 'default_rbl_reply', type: 'template', stages: ['RCPT'],
    default: '$rbl_code Service unavailable; $rbl_class [$rbl_what] blocked using $rbl_domain${rbl_reason?; $rbl_reason}',
    help: 'Reply template for DNSBL hits ($rbl_code, $rbl_class, $rbl_what, $rbl_domain, $rbl_reason are filled in then).',
  },
  {
    name: 'rbl_reply_maps', type: 'maps', default: '', stages: ['RCPT'],
    help: 'Per-zone reply templates for DNSBL hits (key: the zone name).',
  },
  {
    name: 'smtpd_sender_login_maps', type: 'maps', default: '', stages: ['MAIL', 'RCPT'],
    help: 'SASL login(s) owning each sender address, for the reject_*sender_login_mismatch restrictions.',
  },
  {
    name: 'smtpd_reject_unlisted_recipient', type: 'bool', default: 'yes', stages: ['RCPT'],
    help: 'After the lists (even after a permit), refuse recipients unknown in their address class.',
  },
  {
    name: 'smtpd_reject_unlisted_sender', type: 'bool', default: 'no', stages: ['RCPT'],
    help: 'Refuse MAIL FROM addresses unknown in their address class.',
  },
  {
    name: 'show_user_unknown_table_name', type: 'bool', default: 'yes', stages: ['RCPT'],
    help: 'Name the table (local recipient table, ...) in "User unknown" replies.',
  },
  {
    name: 'reject_tempfail_action', type: 'enum', default: 'defer_if_permit', values: TEMPFAIL_ACTIONS, nonEmpty: true, stages: ['RCPT'],
    help: 'What a DNS-based reject test does when DNS fails temporarily: defer or defer_if_permit.',
  },
  {
    name: 'unknown_address_tempfail_action', type: 'enum', default: '$reject_tempfail_action', values: TEMPFAIL_ACTIONS, nonEmpty: true, stages: ['RCPT'],
    help: 'Temporary DNS failure action of reject_unknown_sender_domain and reject_unknown_recipient_domain.',
  },
  {
    name: 'unknown_helo_hostname_tempfail_action', type: 'enum', default: '$reject_tempfail_action', values: TEMPFAIL_ACTIONS, nonEmpty: true, stages: ['RCPT'],
    help: 'Temporary DNS failure action of reject_unknown_helo_hostname.',
  },
  {
    name: 'smtpd_log_access_permit_actions', type: 'list', default: '', stages: ['SESSION'],
    help: 'Permit actions to log as "permit" lines (e.g. permit_mynetworks, or static:all for every one).',
  },
  {
    name: 'relay_clientcerts', type: 'maps', default: '', stages: ['RCPT'],
    help: 'Client certificate fingerprints accepted by permit_tls_clientcerts.',
  },
];
