/**
 * Client restrictions that need neither tables nor DNS: permit_mynetworks,
 * permit_inet_interfaces, permit_sasl_authenticated (spec/restrictions.md section 10.2).
 * Exports: permitMynetworks, permitInetInterfaces, permitSaslAuthenticated.
 * Reads: mynetworks, inet_interfaces.
 * XXX check_client_access, the RBL and the unknown-client restrictions come with tables and DNS.
 */
import type { Policy } from '../policy.ts';
import type { RestrictionRequest, RestrictionResult } from '../restriction.ts';
import { parseIpAddress } from '../../net/ip-address.ts';
import { matchNetworkList } from '../network-list.ts';
import { isOwnInetAddress } from '../own-inet-addresses.ts';

/** permitMynetworks - PERMIT when the client address (or verified name) matches $mynetworks. */
export function permitMynetworks(request: RestrictionRequest, policy: Policy): RestrictionResult {
  const { clientName, clientAddress } = request.session;
  if (!matchNetworkList(policy.mynetworks, clientName, clientAddress)) return { kind: 'dunno' };
  return clientPermit(request);
}

/** permitInetInterfaces - PERMIT when the client is one of our inet_interfaces addresses. */
export function permitInetInterfaces(request: RestrictionRequest, policy: Policy): RestrictionResult {
  const address = parseIpAddress(request.session.clientAddress);
  if (address === null || !isOwnInetAddress(policy.ownInetAddresses, address)) return { kind: 'dunno' };
  return clientPermit(request);
}

/** permitSaslAuthenticated - PERMIT after a successful AUTH (the front only allows AUTH when SASL is on). */
export function permitSaslAuthenticated(request: RestrictionRequest): RestrictionResult {
  const username = request.session.saslUsername;
  if (username === null || username === '') return { kind: 'dunno' };
  return clientPermit(request);
}

// Client permits are logged as `Client host=name[addr]` whatever list they sit in.
function clientPermit(request: RestrictionRequest): RestrictionResult {
  const { clientName, clientAddress } = request.session;
  return { kind: 'permit', replyClass: 'Client host', replyName: `${clientName}[${clientAddress}]` };
}
