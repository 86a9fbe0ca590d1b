/**
 * RESTRICTIONS: every smtpd restriction name Postfix 3.7 knows (spec/restrictions.md section
 * 10), one entry each: family, the stages where its data exists, the argument it takes, help,
 * and its implementation. The compiler, the evaluator, the console's pickers and postconf
 * output all read this one table, instead of Postfix's strcasecmp() chain in generic_checks().
 * Exports: RESTRICTIONS, findRestriction.
 * Entries with implemented: false (check_policy_service, reject_unverified_sender/_recipient:
 * out of scope in the spec) are known names; reached at run time they answer 451 4.3.5
 * Server configuration error, as Postfix does for a broken configuration.
 */
import type {
  RestrictionArgument,
  RestrictionEntry,
  RestrictionFamily,
  RestrictionImplementation,
} from './restriction.ts';
import { SMTPD_STAGES, type SmtpdStage } from './smtpd-stage.ts';
import { defer, deferIfPermit, deferIfReject, permit, reject, rejectPlaintextSession, sleep } from './restrictions/generic.ts';
import { rejectMultiRecipientBounce, rejectUnauthPipelining } from './restrictions/data.ts';
import {
  permitInetInterfaces,
  permitMynetworks,
  permitSaslAuthenticated,
  permitTlsAllClientcerts,
  permitTlsClientcerts,
} from './restrictions/client.ts';
import { permitNakedIpAddress, rejectInvalidHeloHostname, rejectNonFqdnHeloHostname } from './restrictions/helo.ts';
import { rejectNonFqdnSender } from './restrictions/sender.ts';
import {
  checkCcertAccess,
  checkClientAccess,
  checkEtrnAccess,
  checkHeloAccess,
  checkRecipientAccess,
  checkReverseClientHostnameAccess,
  checkSaslAccess,
  checkSenderAccess,
} from './restrictions/access.ts';
import {
  permitDnswlClient,
  permitRhswlClient,
  rejectMapsRbl,
  rejectRblClient as rejectRblClient_,
  rejectRhsblClient,
  rejectRhsblHelo,
  rejectRhsblRecipient,
  rejectRhsblReverseClient,
  rejectRhsblSender,
} from './restrictions/dns-lists.ts';
import {
  rejectUnknownClientHostname,
  rejectUnknownHeloHostname,
  rejectUnknownRecipientDomain,
  rejectUnknownReverseClientHostname,
  rejectUnknownSenderDomain as rejectUnknownSenderDomain_,
} from './restrictions/unknown-hosts.ts';
import { permitMxBackup } from './restrictions/mx-backup.ts';
import { rejectUnlistedRecipient as rejectUnlistedRecipient_, rejectUnlistedSender } from './restrictions/unlisted-recipient.ts';
import { DNS_HOST_ACCESS } from './restrictions/dns-host-access.ts';
import {
  rejectAuthenticatedSenderLoginMismatch,
  rejectKnownSenderLoginMismatch,
  rejectSenderLoginMismatch,
  rejectUnauthenticatedSenderLoginMismatch,
} from './restrictions/sender-login.ts';
import {
  checkRelayDomains,
  deferUnauthDestination,
  permitAuthDestination,
  rejectNonFqdnRecipient,
  rejectUnauthDestination,
} from './restrictions/recipient.ts';

// Where each family's data exists (spec/restrictions.md section 5).
const ANY: readonly SmtpdStage[] = SMTPD_STAGES;
const AFTER_HELO: readonly SmtpdStage[] = ['HELO', 'EHLO', 'MAIL', 'RCPT', 'VRFY', 'ETRN', 'DATA', 'END-OF-MESSAGE'];
const SENDER: readonly SmtpdStage[] = ['MAIL', 'RCPT', 'VRFY', 'DATA', 'END-OF-MESSAGE'];
const RECIPIENT: readonly SmtpdStage[] = ['RCPT', 'VRFY', 'DATA', 'END-OF-MESSAGE'];
const ETRN: readonly SmtpdStage[] = ['ETRN'];
const FAMILY_STAGES: Record<RestrictionFamily, readonly SmtpdStage[]> = {
  generic: ANY,
  client: ANY,
  helo: AFTER_HELO,
  sender: SENDER,
  recipient: RECIPIENT,
  etrn: ETRN,
  data: ANY, // "elsewhere it judges whatever happened so far"
};

type Extra = Partial<Pick<RestrictionEntry, 'argument' | 'endsList' | 'warning' | 'stages'>>;

function built(
  name: string,
  family: RestrictionFamily,
  implementation: RestrictionImplementation | null,
  help: string,
  extra: Extra = {},
): RestrictionEntry {
  return {
    name,
    family,
    stages: extra.stages ?? FAMILY_STAGES[family],
    argument: extra.argument ?? 'none',
    help,
    aliasOf: null,
    implemented: true,
    needs: null,
    implementation,
    endsList: extra.endsList ?? false,
    warning: extra.warning ?? null,
  };
}

function later(
  name: string,
  family: RestrictionFamily,
  needs: NonNullable<RestrictionEntry['needs']>,
  help: string,
  argument: RestrictionArgument = 'none',
): RestrictionEntry {
  return {
    name,
    family,
    stages: FAMILY_STAGES[family],
    argument,
    help,
    aliasOf: null,
    implemented: false,
    needs,
    implementation: null,
    endsList: false,
    warning: null,
  };
}

// An older name that Postfix 3.7 still accepts for the same restriction.
function alias(oldName: string, entry: RestrictionEntry): RestrictionEntry {
  return { ...entry, name: oldName, aliasOf: entry.name, help: `Old name of ${entry.name}.` };
}

const access = (name: string, family: RestrictionFamily, implementation: RestrictionImplementation, help: string): RestrictionEntry =>
  built(name, family, implementation, help, { argument: 'table' });
const zoneCheck = (name: string, family: RestrictionFamily, implementation: RestrictionImplementation, help: string): RestrictionEntry =>
  built(name, family, implementation, help, { argument: 'dns-zone' });
// check_*_{a,mx,ns}_access: access lookups of the hosts a DNS name points to.
const hostAccess = (name: string, family: RestrictionFamily, help: string): RestrictionEntry =>
  built(name, family, DNS_HOST_ACCESS.get(name) as RestrictionImplementation, help, { argument: 'table' });

const rejectInvalidHelo = built('reject_invalid_helo_hostname', 'helo', rejectInvalidHeloHostname,
  'Reject a HELO name with bad syntax (invalid_hostname_reject_code, 501 5.5.2 Invalid name).');
const rejectNonFqdnHelo = built('reject_non_fqdn_helo_hostname', 'helo', rejectNonFqdnHeloHostname,
  'Reject a HELO name that is not a fully-qualified host name (non_fqdn_reject_code, 504 5.5.2).');
const rejectUnknownHelo = built('reject_unknown_helo_hostname', 'helo', rejectUnknownHeloHostname,
  'Reject a HELO name without A, AAAA or MX record (unknown_hostname_reject_code, 450 4.7.1).');
const rejectUnknownClient = built('reject_unknown_client_hostname', 'client', rejectUnknownClientHostname,
  'Reject a client whose address has no PTR name or whose name does not map back (unknown_client_reject_code).');
const rejectUnknownSenderDomain = built('reject_unknown_sender_domain', 'sender', rejectUnknownSenderDomain_,
  'Reject a sender domain without MX or address record (unknown_address_reject_code, 450 4.1.8).');
const rejectRblClient = zoneCheck('reject_rbl_client', 'client', rejectRblClient_,
  'Reject a client listed in the DNSBL zone given as argument (maps_rbl_reject_code).');
const rejectUnlistedRecipient = built('reject_unlisted_recipient', 'recipient', rejectUnlistedRecipient_,
  'Reject a recipient unknown in its address class (550 5.1.1 User unknown ...).');

/** RESTRICTIONS - the table, in generic_checks() order (generic, client, helo, sender, recipient, etrn). */
export const RESTRICTIONS: readonly RestrictionEntry[] = Object.freeze([
  // Generic.
  built('permit', 'generic', permit, 'Accept: this list ends with PERMIT.', { endsList: true }),
  built('reject', 'generic', reject, 'Refuse with reject_code (554 5.7.1 Access denied).', { endsList: true }),
  built('defer', 'generic', defer, 'Refuse temporarily with defer_code (450 4.3.2 Try again later).', { endsList: true }),
  built('defer_if_permit', 'generic', deferIfPermit, 'Answer 450 4.7.0 at the end of the request unless something rejects.'),
  built('defer_if_reject', 'generic', deferIfReject, 'Turn a later 5xx reject of this request into 450 4.7.0.'),
  built('warn_if_reject', 'generic', null, "Log the next step's reject as reject_warning instead of rejecting."),
  built('sleep', 'generic', sleep, 'Wait the given number of seconds, then go on.', { argument: 'number' }),
  built('reject_plaintext_session', 'generic', rejectPlaintextSession, 'Reject unless TLS is active (plaintext_reject_code, 450 4.7.1).'),
  later('check_policy_service', 'generic', 'policy-service', 'Ask an external policy server.', 'policy-service'),
  built('reject_unauth_pipelining', 'data', rejectUnauthPipelining, 'Reject a client that sent commands ahead of replies (503 5.5.0).'),
  built('reject_multi_recipient_bounce', 'data', rejectMultiRecipientBounce,
    'Reject a null-sender message with more than one recipient (multi_recipient_bounce_reject_code, 550 5.5.3).',
    { stages: ['RCPT', 'VRFY', 'DATA', 'END-OF-MESSAGE'] }),

  // Client.
  built('permit_mynetworks', 'client', permitMynetworks, 'Accept a client in $mynetworks.'),
  built('permit_inet_interfaces', 'client', permitInetInterfaces, 'Accept a client connecting from one of our own addresses.'),
  built('permit_sasl_authenticated', 'client', permitSaslAuthenticated, 'Accept a client that logged in with AUTH.'),
  built('permit_tls_clientcerts', 'client', permitTlsClientcerts, 'Accept a client whose verified certificate is in relay_clientcerts.'),
  built('permit_tls_all_clientcerts', 'client', permitTlsAllClientcerts, 'Accept any client with a verified certificate.'),
  access('check_client_access', 'client', checkClientAccess, 'Look up the client name, parent domains, address and networks in an access table.'),
  access('check_reverse_client_hostname_access', 'client', checkReverseClientHostnameAccess, 'Look up the unverified reverse client name in an access table (OK not allowed).'),
  hostAccess('check_client_a_access', 'client', "Look up the client name's A records in an access table."),
  hostAccess('check_client_mx_access', 'client', "Look up the client name's MX hosts in an access table."),
  hostAccess('check_client_ns_access', 'client', "Look up the client name's NS hosts in an access table."),
  hostAccess('check_reverse_client_hostname_a_access', 'client', "Look up the reverse client name's A records in an access table."),
  hostAccess('check_reverse_client_hostname_mx_access', 'client', "Look up the reverse client name's MX hosts in an access table."),
  hostAccess('check_reverse_client_hostname_ns_access', 'client', "Look up the reverse client name's NS hosts in an access table."),
  access('check_ccert_access', 'client', checkCcertAccess, "Look up a verified client certificate's fingerprint, then its public-key fingerprint, in an access table (smtpd_tls_ask_ccert)."),
  access('check_sasl_access', 'client', checkSaslAccess, 'Look up the SASL login name in an access table.'),
  rejectUnknownClient,
  alias('reject_unknown_client', rejectUnknownClient),
  built('reject_unknown_reverse_client_hostname', 'client', rejectUnknownReverseClientHostname, 'Reject a client whose address has no PTR name (unknown_client_reject_code).'),
  rejectRblClient,
  alias('reject_rbl', rejectRblClient),
  built('reject_maps_rbl', 'client', rejectMapsRbl, 'Old: reject a client listed in any zone of $maps_rbl_domains.', {
    warning: 'support for restriction "reject_maps_rbl" will be removed from Postfix; use "reject_rbl_client domain-name" instead',
  }),
  zoneCheck('permit_dnswl_client', 'client', permitDnswlClient, 'Accept a client listed in the DNS allow list zone given as argument.'),
  zoneCheck('reject_rhsbl_client', 'client', rejectRhsblClient, 'Reject a client name listed in the RHSBL zone given as argument.'),
  zoneCheck('reject_rhsbl_reverse_client', 'client', rejectRhsblReverseClient, 'Reject an unverified reverse client name listed in the RHSBL zone.'),
  zoneCheck('permit_rhswl_client', 'client', permitRhswlClient, 'Accept a client name listed in the RHS allow list zone.'),

  // HELO.
  access('check_helo_access', 'helo', checkHeloAccess, 'Look up the HELO name and its parent domains in an access table.'),
  hostAccess('check_helo_a_access', 'helo', "Look up the HELO name's A records in an access table."),
  hostAccess('check_helo_mx_access', 'helo', "Look up the HELO name's MX hosts in an access table."),
  hostAccess('check_helo_ns_access', 'helo', "Look up the HELO name's NS hosts in an access table."),
  rejectInvalidHelo,
  alias('reject_invalid_hostname', rejectInvalidHelo),
  rejectNonFqdnHelo,
  alias('reject_non_fqdn_hostname', rejectNonFqdnHelo),
  rejectUnknownHelo,
  alias('reject_unknown_hostname', rejectUnknownHelo),
  zoneCheck('reject_rhsbl_helo', 'helo', rejectRhsblHelo, 'Reject a HELO name listed in the RHSBL zone given as argument.'),
  built('permit_naked_ip_address', 'helo', permitNakedIpAddress, 'Old: accept a HELO that is a bare IP address.', {
    warning: 'restriction permit_naked_ip_address is deprecated. Use permit_mynetworks or permit_sasl_authenticated instead',
  }),

  // Sender.
  access('check_sender_access', 'sender', checkSenderAccess, 'Look up the sender address, its domain and parent domains in an access table.'),
  hostAccess('check_sender_a_access', 'sender', "Look up the sender domain's A records in an access table."),
  hostAccess('check_sender_mx_access', 'sender', "Look up the sender domain's MX hosts in an access table."),
  hostAccess('check_sender_ns_access', 'sender', "Look up the sender domain's NS hosts in an access table."),
  built('reject_non_fqdn_sender', 'sender', rejectNonFqdnSender, 'Reject a sender address without a fully-qualified domain (non_fqdn_reject_code, 504 5.5.2).'),
  rejectUnknownSenderDomain,
  alias('reject_unknown_address', rejectUnknownSenderDomain),
  zoneCheck('reject_rhsbl_sender', 'sender', rejectRhsblSender, 'Reject a sender domain listed in the RHSBL zone given as argument.'),
  built('reject_sender_login_mismatch', 'sender', rejectSenderLoginMismatch, 'Both login-mismatch checks: the sender must belong to the SASL login.'),
  built('reject_authenticated_sender_login_mismatch', 'sender', rejectAuthenticatedSenderLoginMismatch, 'Reject a logged-in client using a sender it does not own.'),
  built('reject_unauthenticated_sender_login_mismatch', 'sender', rejectUnauthenticatedSenderLoginMismatch, 'Reject a client not logged in using a sender that has an owner.'),
  built('reject_known_sender_login_mismatch', 'sender', rejectKnownSenderLoginMismatch, 'Login-mismatch checks for senders listed in smtpd_sender_login_maps only.'),
  built('reject_unlisted_sender', 'sender', rejectUnlistedSender, 'Reject a sender that is not a valid recipient of its address class.'),
  later('reject_unverified_sender', 'sender', 'verify', 'Reject a sender that address verification says bounces.'),

  // Recipient.
  access('check_recipient_access', 'recipient', checkRecipientAccess, 'Look up the recipient address, its domain and parent domains in an access table.'),
  hostAccess('check_recipient_a_access', 'recipient', "Look up the recipient domain's A records in an access table."),
  hostAccess('check_recipient_mx_access', 'recipient', "Look up the recipient domain's MX hosts in an access table."),
  hostAccess('check_recipient_ns_access', 'recipient', "Look up the recipient domain's NS hosts in an access table."),
  built('permit_auth_destination', 'recipient', permitAuthDestination, 'Accept mail for our own domains and relay_domains.'),
  built('reject_unauth_destination', 'recipient', rejectUnauthDestination,
    'Relay control: reject mail for other domains (relay_domains_reject_code, 554 5.7.1 Relay access denied).'),
  built('defer_unauth_destination', 'recipient', deferUnauthDestination,
    'Relay control: defer mail for other domains (relay_domains_reject_code - 100, 454 4.7.1 Relay access denied).'),
  built('check_relay_domains', 'recipient', checkRelayDomains,
    'Old relay control: accept clients in relay_domains and mail for our domains, reject the rest.', {
      endsList: true,
      warning: 'support for restriction "check_relay_domains" will be removed from Postfix; use "reject_unauth_destination" instead',
    }),
  built('permit_mx_backup', 'recipient', permitMxBackup, 'Accept mail for domains that list this host as a backup MX.'),
  built('reject_non_fqdn_recipient', 'recipient', rejectNonFqdnRecipient, 'Reject a recipient address without a fully-qualified domain (non_fqdn_reject_code, 504 5.5.2).'),
  built('reject_unknown_recipient_domain', 'recipient', rejectUnknownRecipientDomain, 'Reject a recipient domain without MX or address record (unknown_address_reject_code, 450 4.1.2).'),
  zoneCheck('reject_rhsbl_recipient', 'recipient', rejectRhsblRecipient, 'Reject a recipient domain listed in the RHSBL zone given as argument.'),
  rejectUnlistedRecipient,
  alias('check_recipient_maps', rejectUnlistedRecipient),
  later('reject_unverified_recipient', 'recipient', 'verify', 'Reject a recipient that address verification says bounces.'),

  // ETRN.
  access('check_etrn_access', 'etrn', checkEtrnAccess, 'Look up the ETRN domain and its parent domains in an access table.'),
].map((entry) => Object.freeze({ ...entry, stages: Object.freeze([...entry.stages]) })));

const BY_NAME: ReadonlyMap<string, RestrictionEntry> = new Map(RESTRICTIONS.map((entry) => [entry.name, entry]));

/** findRestriction - the entry for a restriction name in any case (Postfix compares with strcasecmp()). */
export function findRestriction(name: string): RestrictionEntry | undefined {
  return BY_NAME.get(name.toLowerCase());
}
