/**
 * permit_mx_backup (spec/restrictions.md section 10.5): PERMIT mail for an authorized
 * destination, or for a domain that lists this host as a backup MX: none of its primary MX
 * hosts (those of the best preference) is us, and one of the others is, by name (one of our
 * destinations, as resolve_local() says) or by one of our addresses (inet_interfaces,
 * proxy_interfaces). With permit_mx_backup_networks set, every address of every primary MX
 * host must lie in those networks.
 * Exports: permitMxBackup.
 * Reads: permit_mx_backup_networks, mydestination, inet_interfaces, proxy_interfaces (through
 * the Policy).
 * The MX lookup failing, or the address lookup of an MX host, raises defer_if_reject (450
 * 4.4.4 with Postfix's reason; the getaddrinfo() texts are glibc's) and the host does not count.
 */
import type { Policy } from '../policy.ts';
import type { RestrictionRequest, RestrictionResult } from '../restriction.ts';
import type { DnsQuery } from '../dns-answers.ts';
import type { MxRecord } from '../../dns/resolver.ts';
import { parseIpAddress } from '../../net/ip-address.ts';
import { isOwnInetAddress, isProxyInetAddress } from '../own-inet-addresses.ts';
import { matchNetworkList } from '../network-list.ts';
import { isLocalDestination, resolveAddress } from '../resolve-address.ts';
import { isAuthorizedDestination } from './recipient.ts';

/** permitMxBackup - PERMIT our own destinations and domains we are a backup MX for. */
export function permitMxBackup(request: RestrictionRequest, policy: Policy): RestrictionResult {
  const recipient = request.recipient;
  if (recipient === null) return { kind: 'dunno' };
  const permit: RestrictionResult = { kind: 'permit', replyClass: 'Recipient address', replyName: recipient };
  if (isAuthorizedDestination(recipient, policy)) return permit;
  const resolved = resolveAddress(recipient, policy.addressResolution);
  const domain = resolved.domain.replace(/\.$/, '');
  if (resolved.routed || domain === '' || domain.startsWith('[')) return { kind: 'dunno' };

  const dns = request.session.dns;
  const mx = dns?.get('MX', domain);
  if (mx === undefined) return { kind: 'dns', queries: [{ type: 'MX', name: domain }] };
  // Only the first reason of a deferral is kept, as by defer_if().
  let deferral: string | null = null;
  const undecided = (): RestrictionResult => (deferral === null ? { kind: 'dunno' } : {
    kind: 'defer_if_reject', errorClass: 'policy', code: 450, enh: '4.4.4', text: `<${recipient}>: Recipient address rejected: ${deferral}`,
  });
  if (mx.status === 'retry') {
    deferral = 'Unable to look up mail exchanger information: Host not found, try again';
    return undecided();
  }
  if (mx.status !== 'found') return { kind: 'dunno' };
  const records = (mx.records as MxRecord[]).filter((r) => r.exchange !== '').sort((a, b) => a.priority - b.priority);
  if (records.length === 0) return { kind: 'dunno' }; // null MX

  // The addresses of every MX host that is not ours by name, asked in one round.
  const isOurName = (host: string): boolean => isLocalDestination(host, policy.addressResolution);
  const missing: DnsQuery[] = [];
  for (const { exchange } of records) {
    if (isOurName(exchange)) continue;
    for (const type of ['A', 'AAAA'] as const) if (dns?.get(type, exchange) === undefined) missing.push({ type, name: exchange });
  }
  if (missing.length) return { kind: 'dns', queries: missing };
  const addressesOf = (host: string): { found: string[]; retry: boolean } => {
    const answers = [dns?.get('A', host), dns?.get('AAAA', host)];
    return {
      found: answers.flatMap((a) => (a?.status === 'found' ? (a.records as string[]) : [])),
      retry: answers.some((a) => a?.status === 'retry'),
    };
  };
  const ours = (address: string): boolean => {
    const parsed = parseIpAddress(address);
    return parsed !== null && (isOwnInetAddress(policy.ownInetAddresses, parsed) || isProxyInetAddress(policy.ownInetAddresses, parsed));
  };
  // i_am_mx(): a host named like one of our destinations, else one with one of our addresses;
  // a host whose addresses cannot be looked up raises a deferral and does not count.
  const iAmMx = (hosts: readonly string[]): boolean => {
    if (hosts.some(isOurName)) return true;
    for (const host of hosts) {
      const { found, retry } = addressesOf(host);
      if (found.length === 0) {
        deferral ??= `Unable to look up mail exchanger host ${host}: ${retry ? 'Temporary failure in name resolution' : 'Name or service not known'}`;
        continue;
      }
      if (found.some(ours)) return true;
    }
    return false;
  };
  // The primaries are the hosts of the best preference; being one of them does not qualify.
  const primaries = records.filter((r) => r.priority === records[0].priority).map((r) => r.exchange);
  const backups = records.filter((r) => r.priority !== records[0].priority).map((r) => r.exchange);
  if (iAmMx(primaries) || !iAmMx(backups)) return undecided();
  if (policy.permitMxBackupNetworks.patterns.length > 0) {
    for (const host of primaries) {
      const { found, retry } = addressesOf(host);
      if (found.length === 0) {
        deferral ??= `Unable to look up host ${host} as mail exchanger: ${retry ? 'Host not found, try again' : 'Host not found'}`;
        return undecided();
      }
      if (!found.every((address) => matchNetworkList(policy.permitMxBackupNetworks, host, address))) return undecided();
    }
  }
  return permit;
}
