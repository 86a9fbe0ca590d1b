/**
 * Unknown recipients (spec/restrictions.md section 10.5 and 7): reject_unlisted_recipient
 * (old name check_recipient_maps) and the same test smtpd_reject_unlisted_recipient runs
 * after the recipient lists. A recipient of a class whose recipient table is set must be in
 * it: local_recipient_maps (key user@domain or user), relay_recipient_maps,
 * virtual_mailbox_maps and virtual_alias_maps (user@domain or @domain).
 * Exports: rejectUnlistedRecipient, unlistedRecipientResult.
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

/** unlistedRecipientResult - reject a recipient its class's table does not list; DUNNO otherwise. */
export function unlistedRecipientResult(recipient: string, policy: Policy): RestrictionResult {
  const resolved = resolveAddress(recipient, policy.addressResolution);
  if (resolved.addressClass === 'default') return { kind: 'dunno' };
  const tables = policy.unlistedRecipient[resolved.addressClass];
  if (tables === null) return { kind: 'dunno' };
  const address = resolved.recipient;
  const at = address.lastIndexOf('@');
  const keys = resolved.addressClass === 'local' ? [address, address.slice(0, at)] : [address, address.slice(at)];
  const found = find(tables, keys);
  if (found === 'retry') {
    return { kind: 'reject', errorClass: 'resource', code: 450, enh: '4.3.0', text: `<${recipient}>: Recipient address rejected: Temporary lookup failure` };
  }
  if (found) return { kind: 'dunno' };
  const which = CLASSES[resolved.addressClass];
  return {
    kind: 'reject', errorClass: 'bounce', code: policy.replyCodes[which.code], enh: '5.1.1',
    text: `<${recipient}>: Recipient address rejected: User unknown in ${which.table}`,
  };
}

function find(tables: readonly LookupTable[], keys: readonly string[]): boolean | 'retry' {
  for (const table of tables) {
    for (const key of keys) {
      const result = table.lookup(key);
      if (result.status === 'found') return true;
      if (result.status === 'retry') return 'retry';
    }
  }
  return false;
}
