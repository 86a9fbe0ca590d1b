/**
 * The Postfix 3.7.11 observation rig of spec/appendix-observed.md as policy inputs: its
 * main.cf over the 3.7 defaults of spec/smtpd-parameters.md, and the sessions the rig used
 * (a mynetworks client on 127.0.0.1, a "stranger" from 198.51.100.7).
 * Exports: RIG_MAIN_CF, rigParameters, compileRigPolicy, rigSession, strangerSession, outcomeOf.
 */
import assert from 'node:assert/strict';
import type { PolicyParameters } from '../../../server/policy/policy-parameters.ts';
import type { Policy } from '../../../server/policy/policy.ts';
import type { SmtpdCheckSession } from '../../../server/policy/smtpd-check-session.ts';
import type { CheckVerdict } from '../../../server/policy/smtpd-check.ts';
import { compilePolicy } from '../../../server/policy/compile-policy.ts';
import { formatReply } from '../../../server/policy/reply.ts';

// 3.7 defaults (postconf -d) for what the policy reads, then the rig's non-defaults.
export const RIG_MAIN_CF: Readonly<Record<string, string>> = Object.freeze({
  smtpd_client_restrictions: '',
  smtpd_helo_restrictions: '',
  smtpd_sender_restrictions: '',
  smtpd_relay_restrictions: 'permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination',
  smtpd_recipient_restrictions: '',
  smtpd_etrn_restrictions: '',
  smtpd_data_restrictions: '',
  smtpd_end_of_data_restrictions: '',
  smtpd_restriction_classes: '',
  smtpd_delay_reject: 'yes',
  smtpd_relay_before_recipient_restrictions: 'yes',
  unknown_helo_hostname_tempfail_action: 'defer_if_permit',
  unknown_address_tempfail_action: 'defer_if_permit',
  smtpd_reject_unlisted_recipient: 'yes',
  smtpd_reject_unlisted_sender: 'no',
  smtpd_sasl_auth_enable: 'no',
  local_recipient_maps: '',
  default_rbl_reply: '$rbl_code Service unavailable; $rbl_class [$rbl_what] blocked using $rbl_domain${rbl_reason?; $rbl_reason}',
  allow_untrusted_routing: 'no',
  reject_code: '554',
  defer_code: '450',
  access_map_reject_code: '554',
  access_map_defer_code: '450',
  relay_domains_reject_code: '554',
  invalid_hostname_reject_code: '501',
  unknown_hostname_reject_code: '450',
  unknown_client_reject_code: '450',
  unknown_address_reject_code: '450',
  maps_rbl_reject_code: '554',
  non_fqdn_reject_code: '504',
  multi_recipient_bounce_reject_code: '550',
  plaintext_reject_code: '450',
  unknown_local_recipient_reject_code: '550',
  unknown_relay_recipient_reject_code: '550',
  unknown_virtual_alias_reject_code: '550',
  unknown_virtual_mailbox_reject_code: '550',
  unverified_sender_reject_code: '450',
  unverified_recipient_reject_code: '450',
  unverified_sender_defer_code: '450',
  unverified_recipient_defer_code: '450',
  parent_domain_matches_subdomains:
    'debug_peer_list, fast_flush_domains, mynetworks, permit_mx_backup_networks, qmqpd_authorized_clients, relay_domains, smtpd_access_maps',
  virtual_alias_domains: '',
  virtual_mailbox_domains: '',
  proxy_interfaces: '',
  smtpd_log_access_permit_actions: '',
  // The rig (spec/appendix-observed.md, "Rig").
  myhostname: 'mx.example.test',
  myorigin: 'example.test',
  mydestination: 'mx.example.test, localhost.example.test, localhost, example.test',
  inet_interfaces: '127.0.0.1',
  inet_protocols: 'ipv4',
  mynetworks: '127.0.0.0/8',
  relay_domains: 'relay.test',
});

/** rigParameters - the rig's main.cf with some parameters changed ('' when unknown, like the registry). */
export function rigParameters(changes: Record<string, string> = {}): PolicyParameters {
  const values: Record<string, string> = { ...RIG_MAIN_CF, ...changes };
  return { get: (name) => values[name] ?? '' };
}

/** compileRigPolicy - compile the rig with changes; the test fails if it does not compile. */
export function compileRigPolicy(changes: Record<string, string> = {}): Policy {
  const compiled = compilePolicy(rigParameters(changes), { machineAddresses: ['127.0.0.1', '192.0.2.25'] });
  assert.ok(compiled.ok, `policy did not compile: ${compiled.ok ? '' : compiled.errors.join('; ')}`);
  return compiled.policy;
}

/** rigSession - a session on the rig after EHLO and MAIL, from a mynetworks client unless changed. */
export function rigSession(changes: Partial<SmtpdCheckSession> = {}): SmtpdCheckSession {
  return {
    clientAddress: '127.0.0.1',
    clientName: 'localhost',
    reverseClientName: 'localhost',
    clientPort: 40000,
    helo: 'client.example.org',
    protocol: 'ESMTP',
    saslUsername: null,
    improperPipelining: false,
    tls: false,
    sender: 'a@example.org',
    recipient: null,
    recipientCount: 0,
    deferIfPermitClient: null,
    deferIfPermitHelo: null,
    deferIfPermitSender: null,
    ...changes,
  };
}

/** strangerSession - the rig's "stranger": XCLIENT ADDR=198.51.100.7 NAME=client.example.org. */
export function strangerSession(changes: Partial<SmtpdCheckSession> = {}): SmtpdCheckSession {
  return rigSession({ clientAddress: '198.51.100.7', clientName: 'client.example.org', reverseClientName: 'client.example.org', ...changes });
}

/** outcomeOf - the reply line a verdict sends, or 'DUNNO' when nothing refused the request. */
export function outcomeOf(verdict: CheckVerdict): string {
  if (verdict.kind === 'dns') return `DNS? ${verdict.queries.map((q) => `${q.type} ${q.name}`).join(', ')}`;
  return verdict.kind === 'reject' ? formatReply(verdict.reply) : 'DUNNO';
}
