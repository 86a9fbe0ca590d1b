/**
 * Recipient restrictions that need neither tables nor DNS: relay control
 * (permit_auth_destination, reject_unauth_destination, defer_unauth_destination, the 1.1
 * check_relay_domains) and reject_non_fqdn_recipient (spec/restrictions.md sections 6 and
 * 10.5). An authorized destination is a recipient whose resolved domain is ours (local,
 * virtual) or in relay_domains, without sender-specified routing.
 * Exports: permitAuthDestination, rejectUnauthDestination, deferUnauthDestination,
 * checkRelayDomains, rejectNonFqdnRecipient, isAuthorizedDestination.
 * Reads: relay_domains_reject_code, non_fqdn_reject_code, allow_untrusted_routing,
 * relay_domains, mydestination, inet_interfaces, proxy_interfaces.
 * permit_mx_backup, check_recipient_access and reject_unlisted_recipient live in mx-backup.ts,
 * access.ts and unlisted-recipient.ts.
 */
import type { Policy } from '../policy.ts';
import type { RestrictionRequest, RestrictionResult } from '../restriction.ts';
import { matchDomainList } from '../domain-list.ts';
import { resolveAddress } from '../resolve-address.ts';
import { rejectNonFqdnAddress } from './sender.ts';

/**
 * isAuthorizedDestination - Postfix's permit_auth_destination() test: routed addresses never
 * qualify (unless allow_untrusted_routing = yes); final and relay classes do.
 */
export function isAuthorizedDestination(recipient: string, policy: Policy): boolean {
  const resolved = resolveAddress(recipient, policy.addressResolution);
  if (!policy.allowUntrustedRouting && resolved.routed) return false;
  return resolved.addressClass !== 'default';
}

/** permitAuthDestination - PERMIT mail for an authorized destination. */
export function permitAuthDestination(request: RestrictionRequest, policy: Policy): RestrictionResult {
  if (request.recipient === null || !isAuthorizedDestination(request.recipient, policy)) return { kind: 'dunno' };
  return { kind: 'permit', replyClass: 'Recipient address', replyName: request.recipient };
}

/** rejectUnauthDestination - `<rcpt>: Relay access denied` (relay_domains_reject_code, 5.7.1). */
export function rejectUnauthDestination(request: RestrictionRequest, policy: Policy): RestrictionResult {
  return relayAccessDenied(request, policy, policy.replyCodes.relay_domains_reject_code, '5.7.1');
}

/** deferUnauthDestination - the same test, answered with relay_domains_reject_code - 100 and 4.7.1. */
export function deferUnauthDestination(request: RestrictionRequest, policy: Policy): RestrictionResult {
  return relayAccessDenied(request, policy, policy.replyCodes.relay_domains_reject_code - 100, '4.7.1');
}

/**
 * checkRelayDomains - 1.1 relay control: PERMIT when the client host name matches
 * relay_domains or the recipient is an authorized destination, otherwise REJECT; it always
 * decides, so later steps never run.
 */
export function checkRelayDomains(request: RestrictionRequest, policy: Policy): RestrictionResult {
  if (request.recipient === null) return { kind: 'dunno' };
  if (matchDomainList(policy.relayDomains, request.session.clientName) || isAuthorizedDestination(request.recipient, policy)) {
    return { kind: 'permit', replyClass: 'Recipient address', replyName: request.recipient };
  }
  return {
    kind: 'reject',
    errorClass: 'policy',
    code: policy.replyCodes.relay_domains_reject_code,
    enh: '5.7.1',
    text: `<${request.recipient}>: Recipient address rejected: Relay access denied`,
  };
}

/** rejectNonFqdnRecipient - `need fully-qualified address` when the recipient's domain is missing or has no dot. */
export function rejectNonFqdnRecipient(request: RestrictionRequest, policy: Policy): RestrictionResult {
  if (request.recipient === null) return { kind: 'dunno' };
  return rejectNonFqdnAddress(request.recipient, 'Recipient address', policy);
}

function relayAccessDenied(request: RestrictionRequest, policy: Policy, code: number, enh: string): RestrictionResult {
  if (request.recipient === null || isAuthorizedDestination(request.recipient, policy)) return { kind: 'dunno' };
  // No "Recipient address rejected:" here: Postfix's relay reply names the address only.
  return { kind: 'reject', errorClass: 'policy', code, enh, text: `<${request.recipient}>: Relay access denied` };
}
