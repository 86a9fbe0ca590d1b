/**
 * This machine's own addresses, as Postfix's own_inet_addr(3) and proxy_inet_addr() know
 * them: inet_interfaces (`all` = every interface address, `loopback-only`, or a list) and
 * proxy_interfaces, filtered by inet_protocols. They make `user@[ip]` a local destination and
 * drive permit_inet_interfaces (spec/smtpd-parameters.md section 1).
 * Exports: OwnInetAddresses, OwnInetAddressesParse, parseOwnInetAddresses, isOwnInetAddress,
 * isProxyInetAddress, listMachineAddresses.
 * XXX Host names other than `localhost` in inet_interfaces/proxy_interfaces are refused:
 * Postfix resolves them at start-up, and compiling a policy does no DNS lookups.
 */
import os from 'node:os';
import { isSameAddress, parseIpAddress, type IpAddress } from '../net/ip-address.ts';
import { splitList } from '../config/parameter-list.ts';

export interface OwnInetAddresses {
  readonly inetInterfaces: readonly IpAddress[];  // addresses the SMTP service receives on
  readonly proxyInterfaces: readonly IpAddress[]; // NAT/proxy addresses that also mean "me"
}

export type OwnInetAddressesParse = { ok: true; addresses: OwnInetAddresses } | { ok: false; errors: string[] };

interface Protocols {
  ipv4: boolean;
  ipv6: boolean;
}

/** listMachineAddresses - every address of every interface, the meaning of `inet_interfaces = all`. */
export function listMachineAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
}

/**
 * parseOwnInetAddresses - compile inet_interfaces and proxy_interfaces; `all` takes
 * machineAddresses (the caller passes listMachineAddresses(), tests pass their own).
 */
export function parseOwnInetAddresses(
  inetInterfaces: string,
  proxyInterfaces: string,
  inetProtocols: string,
  machineAddresses: readonly string[],
): OwnInetAddressesParse {
  const errors: string[] = [];
  const protocols = parseInetProtocols(inetProtocols, errors);
  const inet = parseInterfaces('inet_interfaces', inetInterfaces, protocols, machineAddresses, errors);
  const proxy = parseInterfaces('proxy_interfaces', proxyInterfaces, protocols, machineAddresses, errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, addresses: { inetInterfaces: inet, proxyInterfaces: proxy } };
}

/** isOwnInetAddress - the address is one of inet_interfaces. */
export function isOwnInetAddress(own: OwnInetAddresses, address: IpAddress): boolean {
  return own.inetInterfaces.some((mine) => isSameAddress(mine, address));
}

/** isProxyInetAddress - the address is one of proxy_interfaces. */
export function isProxyInetAddress(own: OwnInetAddresses, address: IpAddress): boolean {
  return own.proxyInterfaces.some((mine) => isSameAddress(mine, address));
}

function parseInetProtocols(value: string, errors: string[]): Protocols {
  const protocols: Protocols = { ipv4: false, ipv6: false };
  for (const item of splitList(value.toLowerCase())) {
    if (item === 'all') protocols.ipv4 = protocols.ipv6 = true;
    else if (item === 'ipv4') protocols.ipv4 = true;
    else if (item === 'ipv6') protocols.ipv6 = true;
    else errors.push(`in parameter inet_protocols: unknown protocol "${item}"`);
  }
  return protocols;
}

function parseInterfaces(
  parameter: string,
  value: string,
  protocols: Protocols,
  machineAddresses: readonly string[],
  errors: string[],
): IpAddress[] {
  const wanted = (address: IpAddress): boolean => (address.family === 4 ? protocols.ipv4 : protocols.ipv6);
  const addresses: IpAddress[] = [];
  for (const item of splitList(value)) {
    const lower = item.toLowerCase();
    let texts: readonly string[];
    if (lower === 'all' && parameter === 'inet_interfaces') texts = machineAddresses;
    else if (lower === 'loopback-only' && parameter === 'inet_interfaces') texts = ['127.0.0.1', '::1'];
    else if (lower === 'localhost') texts = ['127.0.0.1', '::1'];
    else texts = [item.startsWith('[') && item.endsWith(']') ? item.slice(1, -1) : item];
    for (const text of texts) {
      const address = parseIpAddress(text);
      if (address === null && texts === machineAddresses) continue; // not an address we can receive on
      if (address === null) errors.push(`in parameter ${parameter}: "${item}" is not an IP address (host names are not supported yet)`);
      else if (wanted(address)) addresses.push(address);
    }
  }
  return addresses;
}
