/**
 * HELO restrictions that need neither tables nor DNS: reject_invalid_helo_hostname,
 * reject_non_fqdn_helo_hostname (and their 1.1 names), permit_naked_ip_address
 * (spec/restrictions.md section 10.3). All skip a session without HELO; a name ending in one
 * dot is judged without it; a `[...]` literal is only checked for address syntax.
 * Exports: rejectInvalidHeloHostname, rejectNonFqdnHeloHostname, permitNakedIpAddress,
 * rejectInvalidHostaddr (also the literal test of reject_unknown_helo_hostname).
 * Reads: invalid_hostname_reject_code, non_fqdn_reject_code.
 */
import type { Policy } from '../policy.ts';
import type { RestrictionRequest, RestrictionResult } from '../restriction.ts';
import { isValidHostaddr, isValidHostname, isValidMailhostAddr, stripTrailingDot } from '../../net/valid-hostname.ts';

/** rejectInvalidHeloHostname - `Invalid name` unless a host name or a bare IP address. */
export function rejectInvalidHeloHostname(request: RestrictionRequest, policy: Policy): RestrictionResult {
  const helo = request.helo;
  if (helo === null) return { kind: 'dunno' };
  if (helo.startsWith('[')) return rejectInvalidHostaddr(helo, policy);
  const name = stripTrailingDot(helo);
  if (isValidHostname(name) || isValidHostaddr(name)) return { kind: 'dunno' };
  return heloReject(helo, policy.replyCodes.invalid_hostname_reject_code, 'Invalid name');
}

/** rejectNonFqdnHeloHostname - `need fully-qualified hostname` unless a valid name with a dot. */
export function rejectNonFqdnHeloHostname(request: RestrictionRequest, policy: Policy): RestrictionResult {
  const helo = request.helo;
  if (helo === null) return { kind: 'dunno' };
  if (helo.startsWith('[')) return rejectInvalidHostaddr(helo, policy);
  const name = stripTrailingDot(helo);
  if (isValidHostname(name) && name.includes('.')) return { kind: 'dunno' };
  return heloReject(helo, policy.replyCodes.non_fqdn_reject_code, 'need fully-qualified hostname');
}

/** permitNakedIpAddress - PERMIT a HELO that is a bare IP address; a malformed one is rejected. */
export function permitNakedIpAddress(request: RestrictionRequest, policy: Policy): RestrictionResult {
  const helo = request.helo;
  if (helo === null || !/^[0-9.:]*$/.test(helo)) return { kind: 'dunno' };
  const invalid = rejectInvalidHostaddr(helo, policy);
  if (invalid.kind !== 'dunno') return invalid;
  return { kind: 'permit', replyClass: 'Helo command', replyName: helo };
}

/** rejectInvalidHostaddr - reject_invalid_hostaddr(): the inside of `[...]` (or a bare address) must be an address. */
export function rejectInvalidHostaddr(helo: string, policy: Policy): RestrictionResult {
  const literal = helo.length > 2 && helo.startsWith('[') && helo.endsWith(']') ? helo.slice(1, -1) : helo;
  if (isValidMailhostAddr(literal)) return { kind: 'dunno' };
  return heloReject(helo, policy.replyCodes.invalid_hostname_reject_code, 'invalid ip address');
}

function heloReject(helo: string, code: number, reason: string): RestrictionResult {
  return { kind: 'reject', errorClass: 'policy', code, enh: '5.5.2', text: `<${helo}>: Helo command rejected: ${reason}` };
}
