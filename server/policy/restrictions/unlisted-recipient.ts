/**
 * Unknown recipients (spec/restrictions.md section 10.5 and 7): reject_unlisted_recipient
 * (old name check_recipient_maps) and the same test smtpd_reject_unlisted_recipient runs
 * after the recipient lists; reject_unlisted_sender and smtpd_reject_unlisted_sender apply it
 * to the sender, which must be a valid recipient of its own class (5.1.0, not 5.1.1). A recipient of a class whose recipient table is set must be in
 * it: local_recipient_maps, relay_recipient_maps, virtual_mailbox_maps and, for
 * virtual_alias_domains, virtual_alias_maps; an address that virtual_alias_maps lists is known
 * in any class, and local postmaster, MAILER-DAEMON and double-bounce always are. Keys as
 * Postfix's mail_addr_find(): user+ext@domain, user@domain, user+ext and user (local domains
 * only), @domain. A table that fails gives `451 4.3.0 <address>: Temporary lookup failure`.
 * Exports: rejectUnlistedRecipient, unlistedRecipientResult, rejectUnlistedSender, unlistedSenderResult.
 * Reads: unknown_local_recipient_reject_code, unknown_relay_recipient_reject_code,
 * unknown_virtual_mailbox_reject_code, unknown_virtual_alias_reject_code and the tables
 * above (through the Policy).
 */
import type { LookupTable } from '../../maps/lookup-table.ts';
import type { Policy, ReplyCodeParameter } from '../policy.ts';
import type { RestrictionRequest, RestrictionResult } from '../restriction.ts';
import { resolveAddress } from '../resolve-address.ts';

const CLASSES = {
  local: { table: 'local recipient table', code: 'unknown_local_recipient_reject_code' },
  relay: { table: 'relay recipient table', code: 'unknown_relay_recipient_reject_code' },
  virtual: { table: 'virtual mailbox table', code: 'unknown_virtual_mailbox_reject_code' },
  alias: { table: 'virtual alias table', code: 'unknown_virtual_alias_reject_code' },
} as const satisfies Record<string, { table: string; code: ReplyCodeParameter }>;

/** rejectUnlistedRecipient - the explicit restriction. */
export function rejectUnlistedRecipient(request: RestrictionRequest, policy: Policy): RestrictionResult {
  return request.recipient === null ? { kind: 'dunno' } : unlistedRecipientResult(request.recipient, policy);
}

/** rejectUnlistedSender - the explicit restriction for the sender; the null sender is not judged. */
export function rejectUnlistedSender(request: RestrictionRequest, policy: Policy): RestrictionResult {
  return request.sender === null || request.sender === '' ? { kind: 'dunno' } : unlistedSenderResult(request.sender, policy);
}

/** unlistedSenderResult - reject a sender that is not a valid recipient of its class. */
export function unlistedSenderResult(sender: string, policy: Policy): RestrictionResult {
  return unlistedAddressResult(sender, 'Sender address', '5.1.0', policy);
}

/** unlistedRecipientResult - reject a recipient its class's table does not list; DUNNO otherwise. */
export function unlistedRecipientResult(recipient: string, policy: Policy): RestrictionResult {
  return unlistedAddressResult(recipient, 'Recipient address', '5.1.1', policy);
}

function unlistedAddressResult(recipient: string, replyClass: 'Sender address' | 'Recipient address', enh: string, policy: Policy): RestrictionResult {
  const resolved = resolveAddress(recipient, policy.addressResolution);
  const address = resolved.recipient;
  const at = address.lastIndexOf('@');
  const keys = mailAddrKeys(address.slice(0, at), address.slice(at + 1), resolved.addressClass === 'local', policy);
  // check_rcpt_maps(): an address that virtual_alias_maps rewrites is known, whatever its class.
  const aliased = policy.unlistedRecipient.alias === null ? false : find(policy.unlistedRecipient.alias, keys);
  // reject_dict_retry(): no class, no 450: the lookup failed, nothing was decided.
  const retry: RestrictionResult = { kind: 'reject', errorClass: 'data', code: 451, enh: '4.3.0', text: `<${recipient}>: Temporary lookup failure` };
  if (aliased === 'retry') return retry;
  if (aliased || resolved.addressClass === 'default') return { kind: 'dunno' };
  const tables = policy.unlistedRecipient[resolved.addressClass];
  if (tables === null) return { kind: 'dunno' };
  // Local mail for postmaster, MAILER-DAEMON and the double-bounce sender is always taken.
  const localPart = address.slice(0, at);
  if (resolved.addressClass === 'local' && [policy.accessKeyOptions.doubleBounceSender, 'postmaster', 'mailer-daemon'].some((name) => localPart === name.toLowerCase())) {
    return { kind: 'dunno' };
  }
  const found = resolved.addressClass === 'alias' ? false : find(tables, keys);
  if (found === 'retry') return retry;
  if (found) return { kind: 'dunno' };
  const which = CLASSES[resolved.addressClass];
  return {
    kind: 'reject', errorClass: 'bounce', code: policy.replyCodes[which.code], enh,
    text: `<${recipient}>: ${replyClass} rejected: User unknown in ${which.table}`,
  };
}

// mail_addr_find()'s default search: user+ext@domain, user@domain, then for a local domain
// user+ext and user, then @domain. Pattern tables are offered the first key only.
function mailAddrKeys(localPart: string, domain: string, isLocal: boolean, policy: Policy): { key: string; partial: boolean }[] {
  const bare = withoutExtension(localPart, policy);
  const keys = [{ key: `${localPart}@${domain}`, partial: false }];
  if (bare !== null) keys.push({ key: `${bare}@${domain}`, partial: true });
  if (isLocal) {
    keys.push({ key: localPart, partial: true });
    if (bare !== null) keys.push({ key: bare, partial: true });
  }
  keys.push({ key: `@${domain}`, partial: true });
  return keys;
}

// split_addr(), as in server/maps/access-key-order.ts: the local part before the first
// recipient_delimiter character, never for postmaster, MAILER-DAEMON or the double-bounce
// sender, nor for owner-list and list-request when `-` is a delimiter.
function withoutExtension(localPart: string, policy: Policy): string | null {
  const { recipientDelimiter: delimiters, doubleBounceSender } = policy.accessKeyOptions;
  if (delimiters === '') return null;
  if (['postmaster', 'mailer-daemon', doubleBounceSender.toLowerCase()].includes(localPart)) return null;
  if (delimiters.includes('-') && (localPart.startsWith('owner-') || (localPart.length > 8 && localPart.endsWith('-request')))) return null;
  const index = [...localPart].findIndex((c) => delimiters.includes(c));
  return index > 0 ? localPart.slice(0, index) : null;
}

function find(tables: readonly LookupTable[], keys: readonly { key: string; partial: boolean }[]): boolean | 'retry' {
  for (const table of tables) {
    for (const { key, partial } of keys) {
      if (partial && table.keyForm === 'pattern') continue;
      const result = table.lookup(key);
      if (result.status === 'found') return true;
      if (result.status === 'retry') return 'retry';
    }
  }
  return false;
}
