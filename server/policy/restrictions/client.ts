/**
 * Client restrictions that need neither tables nor DNS: permit_mynetworks,
 * permit_inet_interfaces, permit_sasl_authenticated (spec/restrictions.md section 10.2).
 * Exports: permitMynetworks, permitInetInterfaces, permitSaslAuthenticated,
 * permitTlsClientcerts, permitTlsAllClientcerts.
 * Reads: mynetworks, inet_interfaces.
 * check_client_access, the DNS lists and the unknown-client checks live in access.ts,
 * dns-lists.ts and unknown-hosts.ts.
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

/**
 * permitTlsClientcerts - PERMIT a client whose verified certificate's fingerprint (or public-key
 * fingerprint) is in relay_clientcerts.
 */
export function permitTlsClientcerts(request: RestrictionRequest, policy: Policy): RestrictionResult {
  const certificate = request.session.clientCertificate;
  if (!certificate?.verified) return { kind: 'dunno' };
  for (const table of policy.relayClientcerts) {
    for (const key of [certificate.fingerprint, certificate.pkeyFingerprint]) {
      const found = table.lookup(key);
      if (found.status === 'found') return clientPermit(request);
      if (found.status === 'retry') return { kind: 'reject', errorClass: 'resource', code: 451, enh: '4.3.0', text: 'Temporary lookup failure' };
    }
  }
  return { kind: 'dunno' };
}

/** permitTlsAllClientcerts - PERMIT any client whose certificate verified. */
export function permitTlsAllClientcerts(request: RestrictionRequest): RestrictionResult {
  return request.session.clientCertificate?.verified ? clientPermit(request) : { kind: 'dunno' };
}

// Client permits are logged as `Client host=name[addr]` whatever list they sit in.
function clientPermit(request: RestrictionRequest): RestrictionResult {
  const { clientName, clientAddress } = request.session;
  return { kind: 'permit', replyClass: 'Client host', replyName: `${clientName}[${clientAddress}]` };
}
