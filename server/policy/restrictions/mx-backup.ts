/**
 * permit_mx_backup (spec/restrictions.md section 10.5): PERMIT mail for an authorized
 * destination, or for a domain that lists this host as a backup MX: one of its MX hosts has
 * one of our addresses (inet_interfaces, proxy_interfaces) and some other MX host is preferred
 * over it. A primary MX does not qualify (Postfix 2.3+). With permit_mx_backup_networks set,
 * every address of every preferred MX host must lie in those networks.
 * Exports: permitMxBackup.
 * Reads: permit_mx_backup_networks, inet_interfaces, proxy_interfaces (through the Policy).
 * The MX lookup failing raises defer_if_reject (450 4.4.4); an MX host whose addresses cannot
 * be looked up counts as not ours.
 */
import type { Policy } from '../policy.ts';
import type { RestrictionRequest, RestrictionResult } from '../restriction.ts';
import type { DnsQuery } from '../dns-answers.ts';
import type { MxRecord } from '../../dns/resolver.ts';
import { parseIpAddress } from '../../net/ip-address.ts';
import { isOwnInetAddress, isProxyInetAddress } from '../own-inet-addresses.ts';
import { matchNetworkList } from '../network-list.ts';
import { resolveAddress } from '../resolve-address.ts';
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
  if (mx.status === 'retry') {
    return {
      kind: 'defer_if_reject', errorClass: 'policy', code: 450, enh: '4.4.4',
      text: `<${recipient}>: Recipient address rejected: Unable to look up mail exchanger information`,
    };
  }
  if (mx.status !== 'found') return { kind: 'dunno' };
  const hosts = (mx.records as MxRecord[]).filter((r) => r.exchange !== '');
  const missing: DnsQuery[] = [];
  const addressesOf = (host: string): string[] => {
    const found: string[] = [];
    for (const type of ['A', 'AAAA'] as const) {
      const answer = dns?.get(type, host);
      if (answer === undefined) missing.push({ type, name: host });
      else if (answer.status === 'found') found.push(...(answer.records as string[]));
    }
    return found;
  };
  const addresses = new Map(hosts.map((h) => [h.exchange, addressesOf(h.exchange)]));
  if (missing.length) return { kind: 'dns', queries: missing };

  const ours = (address: string): boolean => {
    const parsed = parseIpAddress(address);
    return parsed !== null && (isOwnInetAddress(policy.ownInetAddresses, parsed) || isProxyInetAddress(policy.ownInetAddresses, parsed));
  };
  const ourPreferences = hosts.filter((h) => (addresses.get(h.exchange) ?? []).some(ours)).map((h) => h.priority);
  if (ourPreferences.length === 0) return { kind: 'dunno' };
  const best = Math.min(...ourPreferences);
  const primaries = hosts.filter((h) => h.priority < best);
  if (primaries.length === 0) return { kind: 'dunno' };
  if (policy.permitMxBackupNetworks.patterns.length > 0) {
    const all = primaries.flatMap((h) => addresses.get(h.exchange) ?? []);
    if (!all.every((address) => matchNetworkList(policy.permitMxBackupNetworks, 'unknown', address))) return { kind: 'dunno' };
  }
  return permit;
}
