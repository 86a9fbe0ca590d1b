/**
 * The address class of a recipient, as smtpd asks trivial-rewrite (smtpd_resolve_addr(),
 * resolve.c): strip our own domains and re-resolve what they carried (`user%elsewhere@here`,
 * `user!elsewhere@here`, `user@elsewhere@here`), then classify the final domain as local
 * (mydestination or `[our address]`), virtual alias, virtual mailbox, relay (relay_domains)
 * or default. Routing operators (`@ ! %`) left in the local part of a remote address mark it
 * "routed": never an authorized destination unless allow_untrusted_routing = yes
 * (spec/restrictions.md section 10.5). A final domain that is no host name and no valid
 * address literal (`user%@here` and `!user@here` leave none, `user@1.2.3.4` is a bare
 * address) marks the address bad, as RESOLVE_FLAG_ERROR does: smtpd answers 501 for it.
 * Exports: AddressResolution, AddressClass, ResolvedAddress, resolveAddress, isLocalDestination.
 * Takes the address in internal (unquoted) form, as smtpd passes it; a bare name gets
 * @$myorigin. swap_bangpath and allow_percent_hack are Postfix's defaults (yes): the
 * registry does not offer them.
 * XXX transport_maps, canonical and virtual alias rewriting are not consulted: the class
 * comes from the domain lists alone, which is all relay control needs.
 */
import { matchDomainList, type DomainList } from './domain-list.ts';
import { parseIpAddress } from '../net/ip-address.ts';
import { isOwnInetAddress, isProxyInetAddress, type OwnInetAddresses } from './own-inet-addresses.ts';
import { domainToASCII } from 'node:url';
import { isValidHostname, isValidMailhostAddr } from '../net/valid-hostname.ts';

export interface AddressResolution {
  readonly myorigin: string;                 // appended to bare names
  readonly myhostname: string;               // appended when nothing else gives a domain
  readonly mydestination: DomainList;        // the local class
  readonly ownInetAddresses: OwnInetAddresses; // `user@[ip]` is local for these
  readonly virtualAliasDomains: DomainList;
  readonly virtualMailboxDomains: DomainList;
  readonly relayDomains: DomainList;
  readonly swapBangpath: boolean;            // swap_bangpath: `site!user` means user@site
  readonly allowPercentHack: boolean;        // allow_percent_hack: `user%site` means user@site
}

export type AddressClass = 'local' | 'alias' | 'virtual' | 'relay' | 'default';

export interface ResolvedAddress {
  readonly recipient: string;          // resolved user@domain, lowercased
  readonly domain: string;             // its domain
  readonly addressClass: AddressClass;
  readonly routed: boolean;            // sender-specified routing in the local part (RESOLVE_FLAG_ROUTED)
  readonly error: boolean;             // the final domain is no valid host name or literal (RESOLVE_FLAG_ERROR)
}

const MAX_REWRITES = 100; // each round strips a domain or an operator; this only stops a runaway address

/** resolveAddress - resolve an address to its final domain and address class. */
export function resolveAddress(address: string, resolution: AddressResolution): ResolvedAddress {
  let addr = rewriteAddress(address, resolution);
  let savedDomain: string | null = null; // the last local domain stripped
  let remote: { localPart: string; domain: string } | null = null;

  for (let round = 0; round < MAX_REWRITES && addr !== ''; round++) {
    addr = stripDomainTrailingDot(addr);
    const at = addr.lastIndexOf('@');
    if (at >= 0) {
      const domain = addr.slice(at + 1);
      if (domain !== '' && !isLocalDestination(domain, resolution)) {
        remote = { localPart: addr.slice(0, at), domain };
        break;
      }
      savedDomain = domain;
      addr = addr.slice(0, at);
    }
    // Whatever a local domain carried is routed again: foo%bar, site!user, user@domain.
    if (
      addr.includes('@') ||
      (resolution.swapBangpath && addr.includes('!')) ||
      (resolution.allowPercentHack && addr.includes('%'))
    ) {
      addr = rewriteAddress(addr, resolution);
      continue;
    }
    if (savedDomain === null) {
      addr = `${addr}@${resolution.myhostname}`;
      continue;
    }
    break;
  }

  if (remote !== null) {
    const domain = remote.domain.toLowerCase();
    return {
      recipient: `${remote.localPart}@${remote.domain}`.toLowerCase(),
      domain,
      addressClass: classifyRemoteDomain(domain, resolution),
      routed: /[@!%]/.test(remote.localPart),
      error: !isValidFinalDomain(domain),
    };
  }
  const domain = (savedDomain ?? resolution.myhostname).toLowerCase();
  return { recipient: `${addr}@${domain}`.toLowerCase(), domain, addressClass: 'local', routed: false, error: !isValidFinalDomain(domain) };
}

// resolve.c: a literal must hold a valid address; anything else must be a host name (its IDNA
// form for a UTF-8 name), which a bare network address is not (resolve_numeric_domain = no).
function isValidFinalDomain(domain: string): boolean {
  if (domain.startsWith('[')) return domain.endsWith(']') && isValidMailhostAddr(domain.slice(1, -1));
  return isValidHostname(/[^\x20-\x7e]/.test(domain) ? domainToASCII(domain) : domain);
}

/**
 * isLocalDestination - Postfix's resolve_local(): the domain (one trailing dot ignored) is in
 * mydestination, or is an address literal for one of our inet_interfaces/proxy_interfaces.
 */
export function isLocalDestination(domain: string, resolution: AddressResolution): boolean {
  const name = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  if (name === '' || name.endsWith('.')) return false;
  if (matchDomainList(resolution.mydestination, name)) return true;
  if (name.startsWith('[') && name.endsWith(']')) {
    const literal = name.slice(1, -1);
    if (!isValidMailhostAddr(literal)) return false;
    // Leading zeros are allowed in a literal's octets (valid_hostaddr()) and name the same
    // address: [127.0.0.001] is 127.0.0.1 (obs).
    const address = parseIpAddress(literal.toLowerCase().startsWith('ipv6:') ? literal.slice(5) : literal.split('.').map(Number).join('.'));
    return (
      address !== null &&
      (isOwnInetAddress(resolution.ownInetAddresses, address) || isProxyInetAddress(resolution.ownInetAddresses, address))
    );
  }
  return false;
}

function classifyRemoteDomain(domain: string, resolution: AddressResolution): AddressClass {
  if (matchDomainList(resolution.virtualAliasDomains, domain)) return 'alias';
  if (matchDomainList(resolution.virtualMailboxDomains, domain)) return 'virtual';
  if (matchDomainList(resolution.relayDomains, domain)) return 'relay';
  return 'default';
}

// trivial-rewrite's rewrite_tree() in the "local" context: drop a source route, give a
// domain to an address without one, drop a trailing dot.
function rewriteAddress(address: string, resolution: AddressResolution): string {
  let addr = address;
  if (addr.startsWith('@')) {
    const colon = addr.indexOf(':');
    if (colon >= 0 && colon < addr.length - 1) addr = addr.slice(colon + 1);
  }
  if (!addr.includes('@')) {
    const bang = addr.indexOf('!');
    const percent = addr.lastIndexOf('%');
    if (resolution.swapBangpath && bang >= 0) addr = `${addr.slice(bang + 1)}@${addr.slice(0, bang)}`;
    else if (resolution.allowPercentHack && percent >= 0) addr = `${addr.slice(0, percent)}@${addr.slice(percent + 1)}`;
    else if (resolution.myorigin !== '') addr = `${addr}@${resolution.myorigin}`;
  }
  return stripDomainTrailingDot(addr);
}

// A trailing dot goes, but not from `..` or `@.` (bogus forms stay visible in diagnostics).
function stripDomainTrailingDot(addr: string): string {
  if (addr.length > 1 && addr.endsWith('.') && addr.includes('@')) {
    const before = addr[addr.length - 2];
    if (before !== '.' && before !== '@') return addr.slice(0, -1);
  }
  return addr;
}
