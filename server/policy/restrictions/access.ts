/**
 * The check_*_access restrictions (spec/restrictions.md section 10, spec/access-maps.md
 * section 2): look the request's subject up in the step's table with the access(5) key order
 * and let the value decide (access-action.ts). The _a/_mx/_ns variants look up the A records,
 * MX hosts or NS hosts of a name instead (dns-host-access.ts does the DNS part).
 * Exports: checkClientAccess, checkReverseClientHostnameAccess, checkHeloAccess,
 * checkSenderAccess, checkRecipientAccess, checkEtrnAccess, checkSaslAccess, checkCcertAccess,
 * lookupAccess.
 * Reads: parent_domain_matches_subdomains, recipient_delimiter, smtpd_null_access_lookup_key,
 * allow_untrusted_routing (all through the Policy).
 * A table that answers "try again" gives `451 4.3.0 <NAME>: Temporary lookup failure`.
 * Sender and recipient are looked up as trivial-rewrite resolves them (check_mail_access()
 * looks up reply->recipient): a bare name gets @$myorigin, our own domains are stripped from
 * routed forms, a trailing dot goes; NAME in replies stays the address as the client wrote it.
 */
import type { Policy } from '../policy.ts';
import type { ReplyClass, RestrictionRequest, RestrictionResult } from '../restriction.ts';
import { accessLookup, hostnameAccessKeys, type AccessKind, type ClientIdentity } from '../../maps/access-key-order.ts';
import { accessActionResult } from '../access-action.ts';
import { resolveAddress } from '../resolve-address.ts';

interface Lookup {
  readonly kind: AccessKind;
  readonly subject: string | ClientIdentity;
  readonly replyName: string;
  readonly replyClass: ReplyClass;
  readonly restriction: string;
  readonly okAllowed?: boolean;
  readonly okAsDunno?: boolean;
}

/** lookupAccess - one access lookup and what its value means; DUNNO when the table has no key. */
export function lookupAccess(policy: Policy, tableSpec: string | null, lookup: Lookup): RestrictionResult {
  const table = tableSpec === null ? undefined : policy.tables.get(tableSpec);
  if (table === undefined) return { kind: 'server-error', warning: `${lookup.restriction}: table ${tableSpec} is not open` };
  const found = lookup.kind === 'client'
    ? accessLookup(table, 'client', lookup.subject as ClientIdentity, policy.accessKeyOptions)
    : accessLookup(table, lookup.kind, lookup.subject as string, policy.accessKeyOptions);
  if (found.status === 'notfound') return { kind: 'dunno' };
  if (found.status === 'retry') {
    return { kind: 'reject', errorClass: 'resource', code: 451, enh: '4.3.0', text: `<${lookup.replyName}>: Temporary lookup failure` };
  }
  return accessActionResult(found.value, {
    replyName: lookup.replyName,
    replyClass: lookup.replyClass,
    tableSpec: tableSpec as string,
    datum: datumOf(lookup, found.key, policy),
    restriction: lookup.restriction,
    okAllowed: lookup.okAllowed ?? true,
    okAsDunno: lookup.okAsDunno ?? false,
  }, policy);
}

/** checkClientAccess - the client name, its parent domains, then its address and networks. */
export function checkClientAccess(request: RestrictionRequest, policy: Policy, table: string | null): RestrictionResult {
  const { clientName, clientAddress } = request.session;
  return lookupAccess(policy, table, {
    kind: 'client', subject: { name: clientName, address: clientAddress },
    replyName: `${clientName}[${clientAddress}]`, replyClass: 'Client host', restriction: 'check_client_access',
  });
}

/** checkReverseClientHostnameAccess - the same with the unverified PTR name, which alone is NAME; OK is not allowed. */
export function checkReverseClientHostnameAccess(request: RestrictionRequest, policy: Policy, table: string | null): RestrictionResult {
  const { reverseClientName, clientAddress } = request.session;
  return lookupAccess(policy, table, {
    kind: 'client', subject: { name: reverseClientName, address: clientAddress },
    replyName: reverseClientName, replyClass: 'Unverified Client host',
    restriction: 'check_reverse_client_hostname_access', okAllowed: false,
  });
}

/** checkHeloAccess - the HELO name as sent (a trailing dot stays) and its parent domains; nothing before HELO. */
export function checkHeloAccess(request: RestrictionRequest, policy: Policy, table: string | null): RestrictionResult {
  const helo = request.helo;
  if (helo === null || helo === '') return { kind: 'dunno' };
  return lookupAccess(policy, table, {
    kind: 'hostname', subject: helo, replyName: helo, replyClass: 'Helo command', restriction: 'check_helo_access',
  });
}

/** checkSenderAccess - the sender address as resolved (the null sender as smtpd_null_access_lookup_key). */
export function checkSenderAccess(request: RestrictionRequest, policy: Policy, table: string | null): RestrictionResult {
  const sender = request.sender;
  if (sender === null) return { kind: 'dunno' };
  return lookupAccess(policy, table, {
    kind: 'email', subject: sender === '' ? '' : resolveAddress(sender, policy.addressResolution).recipient,
    replyName: sender, replyClass: 'Sender address', restriction: 'check_sender_access',
  });
}

/**
 * checkRecipientAccess - the recipient as resolved, so `user%elsewhere@$myhostname` is looked up
 * as user@elsewhere, never under our own domain; OK means DUNNO for a routed address unless
 * allow_untrusted_routing.
 */
export function checkRecipientAccess(request: RestrictionRequest, policy: Policy, table: string | null): RestrictionResult {
  const recipient = request.recipient;
  if (recipient === null) return { kind: 'dunno' };
  const resolved = resolveAddress(recipient, policy.addressResolution);
  const routed = !policy.allowUntrustedRouting && resolved.routed;
  return lookupAccess(policy, table, {
    kind: 'email', subject: resolved.recipient,
    replyName: recipient, replyClass: 'Recipient address', restriction: 'check_recipient_access', okAsDunno: routed,
  });
}

/** checkEtrnAccess - the ETRN domain as given (the front has dropped a leading @ or #) and its parent domains. */
export function checkEtrnAccess(request: RestrictionRequest, policy: Policy, table: string | null): RestrictionResult {
  const domain = request.etrnDomain;
  if (domain === null) return { kind: 'dunno' };
  return lookupAccess(policy, table, {
    kind: 'hostname', subject: domain, replyName: domain, replyClass: 'Etrn command', restriction: 'check_etrn_access',
  });
}

/**
 * checkSaslAccess - the SASL login name, exactly; nothing for clients that did not log in. NAME
 * is the login with non-printable characters as `_`, CLASS `SASL login name`.
 */
export function checkSaslAccess(request: RestrictionRequest, policy: Policy, table: string | null): RestrictionResult {
  const login = request.session.saslUsername;
  if (login === null || login === '') return { kind: 'dunno' };
  return lookupExactKeys(policy, table, [login], login.replace(/[\x00-\x1f\x7f]/g, '_'), 'SASL login name', 'check_sasl_access');
}

/**
 * checkCcertAccess - a verified client certificate's fingerprint, then its public-key
 * fingerprint (smtpd_tls_fingerprint_digest); nothing without one (smtpd_tls_ask_ccert).
 */
export function checkCcertAccess(request: RestrictionRequest, policy: Policy, table: string | null): RestrictionResult {
  const certificate = request.session.clientCertificate;
  if (!certificate?.verified) return { kind: 'dunno' };
  const { clientName, clientAddress } = request.session;
  const keys = [certificate.fingerprint, certificate.pkeyFingerprint];
  return lookupExactKeys(policy, table, keys, `${clientName}[${clientAddress}]`, 'Client host', 'check_ccert_access');
}

// Whole keys, tried in order, without access(5)'s partial keys: the first found decides.
function lookupExactKeys(
  policy: Policy, tableSpec: string | null, keys: readonly string[], replyName: string, replyClass: ReplyClass, restriction: string,
): RestrictionResult {
  const table = tableSpec === null ? undefined : policy.tables.get(tableSpec);
  if (table === undefined) return { kind: 'server-error', warning: `${restriction}: table ${tableSpec} is not open` };
  for (const key of keys) {
    const found = table.lookup(key);
    if (found.status === 'notfound') continue;
    if (found.status === 'retry') return { kind: 'reject', errorClass: 'resource', code: 451, enh: '4.3.0', text: `<${replyName}>: Temporary lookup failure` };
    return accessActionResult(found.value, {
      replyName, replyClass, tableSpec: tableSpec as string, datum: key, restriction, okAllowed: true, okAsDunno: false,
    }, policy);
  }
  return { kind: 'dunno' };
}

// Postfix's datum, named in warnings: the client name or address, whichever the key came from;
// the name, address or email address looked up; the null sender as its lookup key.
function datumOf(lookup: Lookup, key: string, policy: Policy): string {
  if (lookup.kind !== 'client') return (lookup.subject as string) || policy.accessKeyOptions.nullAccessLookupKey;
  const client = lookup.subject as ClientIdentity;
  return hostnameAccessKeys(client.name, policy.accessKeyOptions).some((k) => k.key === key) ? client.name : client.address;
}
