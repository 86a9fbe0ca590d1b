/**
 * Names that must exist in the DNS (spec/restrictions.md sections 8 and 10.2-10.5):
 * reject_unknown_client_hostname and reject_unknown_reverse_client_hostname (from the client
 * name lookup done at connect), reject_unknown_helo_hostname (A, AAAA or MX; a `[literal]` is
 * only checked for address syntax), and reject_unknown_sender_domain /
 * reject_unknown_recipient_domain (MX, else A or AAAA; a null MX is its own reject). A
 * temporary DNS failure, when no record was found either, gives 450 with the DSN of the
 * permanent reject through the *_tempfail_action (defer_if_permit: a pending deferral; defer:
 * at once); it never becomes a pass or a 5xx.
 * Exports: rejectUnknownClientHostname, rejectUnknownReverseClientHostname,
 * rejectUnknownHeloHostname, rejectUnknownSenderDomain, rejectUnknownRecipientDomain.
 * Reads: unknown_client_reject_code, unknown_hostname_reject_code, unknown_address_reject_code,
 * unknown_helo_hostname_tempfail_action, unknown_address_tempfail_action (through the Policy).
 */
import type { Policy } from '../policy.ts';
import type { ReplyClass, RestrictionRequest, RestrictionResult } from '../restriction.ts';
import type { DnsAnswer, DnsQuery, DnsQueryType } from '../dns-answers.ts';
import { askDns } from '../dns-answers.ts';
import type { MxRecord } from '../../dns/resolver.ts';
import { resolveAddress } from '../resolve-address.ts';
import { rejectInvalidHostaddr } from './helo.ts';

/** rejectUnknownClientHostname - no PTR, no address for the name, or no address equal to the client's. */
export function rejectUnknownClientHostname(request: RestrictionRequest, policy: Policy): RestrictionResult {
  const status = request.session.clientNameStatus ?? 'ok';
  if (status === 'ok') return { kind: 'dunno' };
  const code = status === 'retry' ? 450 : policy.replyCodes.unknown_client_reject_code;
  return { kind: 'reject', errorClass: 'policy', code, enh: '4.7.25', text: `Client host rejected: cannot find your hostname, [${request.session.clientAddress}]` };
}

/** rejectUnknownReverseClientHostname - no PTR name at all. */
export function rejectUnknownReverseClientHostname(request: RestrictionRequest, policy: Policy): RestrictionResult {
  const status = request.session.reverseNameStatus ?? 'ok';
  if (status === 'ok') return { kind: 'dunno' };
  const code = status === 'retry' ? 450 : policy.replyCodes.unknown_client_reject_code;
  return { kind: 'reject', errorClass: 'policy', code, enh: '4.7.1', text: `Client host rejected: cannot find your reverse hostname, [${request.session.clientAddress}]` };
}

/** rejectUnknownHeloHostname - a HELO name with no A, AAAA or MX record; an address literal is only checked for syntax. */
export function rejectUnknownHeloHostname(request: RestrictionRequest, policy: Policy): RestrictionResult {
  const helo = request.helo;
  if (helo === null || helo === '') return { kind: 'dunno' };
  if (helo.startsWith('[')) return rejectInvalidHostaddr(helo, policy);
  const name = helo.replace(/\.$/, '').toLowerCase();
  const answers = askAll(request, name, ['A', 'AAAA', 'MX']);
  if ('queries' in answers) return { kind: 'dns', queries: answers.queries };
  if (answers.known.some((a) => a.status === 'found')) return { kind: 'dunno' };
  if (answers.known.some((a) => a.status === 'retry')) {
    return tempfail(policy.unknownHeloHostnameTempfailAction, `<${helo}>: Helo command rejected: Host not found`, '4.7.1');
  }
  return {
    kind: 'reject', errorClass: 'policy', code: policy.replyCodes.unknown_hostname_reject_code, enh: '4.7.1',
    text: `<${helo}>: Helo command rejected: Host not found`,
  };
}

/** rejectUnknownSenderDomain - the sender's domain must take mail; not for <> or our own domains. */
export function rejectUnknownSenderDomain(request: RestrictionRequest, policy: Policy): RestrictionResult {
  if (request.sender === null || request.sender === '') return { kind: 'dunno' };
  return unknownMailDomain(request, policy, request.sender, 'Sender address', '4.1.8', { code: 550, enh: '5.7.27' });
}

/** rejectUnknownRecipientDomain - the recipient's domain must take mail; not for our own domains. */
export function rejectUnknownRecipientDomain(request: RestrictionRequest, policy: Policy): RestrictionResult {
  if (request.recipient === null) return { kind: 'dunno' };
  return unknownMailDomain(request, policy, request.recipient, 'Recipient address', '4.1.2', { code: 556, enh: '5.1.10' });
}

function unknownMailDomain(
  request: RestrictionRequest, policy: Policy, address: string, replyClass: ReplyClass, enh: string, nullMx: { code: number; enh: string },
): RestrictionResult {
  const resolved = resolveAddress(address, policy.addressResolution);
  if (resolved.addressClass === 'local' || resolved.addressClass === 'alias' || resolved.addressClass === 'virtual') return { kind: 'dunno' };
  const domain = resolved.domain.replace(/\.$/, '');
  if (domain === '' || domain.startsWith('[')) return { kind: 'dunno' };
  const mx = request.session.dns?.get('MX', domain);
  if (mx === undefined) return { kind: 'dns', queries: [{ type: 'MX', name: domain }] };
  const name = `<${address}>: ${replyClass} rejected:`;
  if (mx.status === 'found') {
    const records = mx.records as MxRecord[];
    if (records.length === 1 && records[0].exchange === '') {
      return { kind: 'reject', errorClass: 'policy', code: nullMx.code, enh: nullMx.enh, text: `${name} Domain ${domain} does not accept mail (nullMX)` };
    }
    return { kind: 'dunno' };
  }
  // dns_lookup_l(): an MX lookup that failed does not stop the address lookups; an address
  // found is enough, and only when none is found does the failure count.
  const addresses = askAll(request, domain, ['A', 'AAAA']);
  if ('queries' in addresses) return { kind: 'dns', queries: addresses.queries };
  if (addresses.known.some((a) => a.status === 'found')) return { kind: 'dunno' };
  if (mx.status === 'retry' || addresses.known.some((a) => a.status === 'retry')) {
    return tempfail(policy.unknownAddressTempfailAction, `${name} Domain not found`, enh);
  }
  return { kind: 'reject', errorClass: 'policy', code: policy.replyCodes.unknown_address_reject_code, enh, text: `${name} Domain not found` };
}

function askAll(request: RestrictionRequest, name: string, types: readonly DnsQueryType[]): { known: DnsAnswer[] } | { queries: DnsQuery[] } {
  const queries = types.map((type) => ({ type, name }));
  if (request.session.dns === undefined) return { queries };
  const asked = askDns(request.session.dns, queries);
  return 'missing' in asked ? { queries: asked.missing } : asked;
}

// *_tempfail_action: defer_if_permit waits for a real reject; defer answers 450 now. The DSN
// is the one of the permanent reject.
function tempfail(action: 'defer' | 'defer_if_permit', text: string, enh: string): RestrictionResult {
  return { kind: action === 'defer' ? 'reject' : 'defer_if_permit', errorClass: 'policy', code: 450, enh, text };
}
