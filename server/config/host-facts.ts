/**
 * What this machine says about itself, read where Postfix reads it: the host name
 * (gethostname(), no DNS) and the interface addresses with their prefix lengths
 * (inet_addr_local()). The computed defaults of myhostname, mydomain and mynetworks start here.
 * Exports: HostFacts, HostAddress, readHostFacts.
 */
import os from 'node:os';

export interface HostAddress {
  address: string;       // as the OS prints it: 192.0.2.2, fd00::2, fe80::1 (no zone)
  family: 'IPv4' | 'IPv6';
  prefixLength: number;  // from the interface netmask
  loopback: boolean;     // on a loopback interface (inet_interfaces = loopback-only)
}

export interface HostFacts {
  hostname: string;                    // the OS host name, dotted or not
  addresses: readonly HostAddress[];   // IPv4 first, then IPv6, as Postfix lists them
}

/** readHostFacts - the current host name and interface addresses; cheap, so read per build. */
export function readHostFacts(): HostFacts {
  const v4: HostAddress[] = [];
  const v6: HostAddress[] = [];
  for (const entries of Object.values(os.networkInterfaces())) {
    for (const entry of entries ?? []) {
      const prefix = entry.cidr ? Number(entry.cidr.slice(entry.cidr.lastIndexOf('/') + 1)) : NaN;
      const address: HostAddress = {
        address: entry.address.replace(/%.*$/, ''),
        family: entry.family === 'IPv4' ? 'IPv4' : 'IPv6',
        prefixLength: Number.isInteger(prefix) ? prefix : (entry.family === 'IPv4' ? 32 : 128),
        loopback: entry.internal,
      };
      (address.family === 'IPv4' ? v4 : v6).push(address);
    }
  }
  return { hostname: os.hostname(), addresses: [...v4, ...v6] };
}
