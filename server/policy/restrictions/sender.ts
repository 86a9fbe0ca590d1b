/**
 * Sender restrictions that need neither tables nor DNS: reject_non_fqdn_sender
 * (spec/restrictions.md section 10.4). The null sender `<>` is never judged.
 * Exports: rejectNonFqdnSender, rejectNonFqdnAddress.
 * Reads: non_fqdn_reject_code.
 * The table, DNS and login-mismatch sender checks live in access.ts, unknown-hosts.ts,
 * dns-lists.ts and sender-login.ts.
 */
import type { Policy } from '../policy.ts';
import type { ReplyClass, RestrictionRequest, RestrictionResult } from '../restriction.ts';
import { isValidHostname, stripTrailingDot } from '../../net/valid-hostname.ts';

/** rejectNonFqdnSender - `need fully-qualified address` when the sender's domain is missing or has no dot. */
export function rejectNonFqdnSender(request: RestrictionRequest, policy: Policy): RestrictionResult {
  if (request.sender === null || request.sender === '') return { kind: 'dunno' };
  return rejectNonFqdnAddress(request.sender, 'Sender address', policy);
}

/**
 * rejectNonFqdnAddress - reject_non_fqdn_address(): the domain after the last '@' must be a
 * valid host name with a dot; address literals `[...]` are not judged. Shared with the
 * recipient restriction.
 */
export function rejectNonFqdnAddress(address: string, replyClass: ReplyClass, policy: Policy): RestrictionResult {
  const at = address.lastIndexOf('@');
  const domain = at >= 0 ? address.slice(at + 1) : '';
  if (domain.startsWith('[') && domain.endsWith(']')) return { kind: 'dunno' };
  const name = stripTrailingDot(domain);
  if (name !== '' && isValidHostname(name) && name.includes('.')) return { kind: 'dunno' };
  return {
    kind: 'reject',
    errorClass: 'policy',
    code: policy.replyCodes.non_fqdn_reject_code,
    enh: '4.5.2', // class digit follows the code: 504 gives 5.5.2
    text: `<${address}>: ${replyClass} rejected: need fully-qualified address`,
  };
}
