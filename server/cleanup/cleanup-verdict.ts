/**
 * What becomes of a message once cleanup has read all of it, decided in the order Postfix's
 * cleanup_flush() and smtpd's data_cmd() decide (spec/header-body-checks.md §3, protocol.md §3):
 * DISCARD first (cleanup reports success for it, whatever else went wrong), then a content
 * REJECT with a 4.x.x code (451), too many hops (554 5.4.0), a content REJECT (550), a failed
 * check table (451 4.3.0); otherwise the message is queued, in the hold queue after HOLD.
 * Exports: CleanupVerdict, cleanupVerdict.
 * The delegated actions come from the smtpd restrictions and the content checks alike.
 */
import type { Reply } from '../policy/reply.ts';
import type { CleanupResult } from './cleanup-message.ts';
import type { MessageActions } from './message-actions.ts';

export type CleanupVerdict =
  | { kind: 'discard' }                 // 250 with the queue ID, nothing kept
  | { kind: 'refuse'; reply: Reply }    // the queue file is removed
  | { kind: 'queue'; hold: boolean };   // committed; hold: then moved to the hold queue

/** cleanupVerdict - the outcome for the client and the queue file. */
export function cleanupVerdict(result: CleanupResult, actions: MessageActions): CleanupVerdict {
  if (actions.discard !== null) return { kind: 'discard' };
  if (result.deferred) return { kind: 'refuse', reply: reasonReply(451, result.reason!) };
  if (result.hopsExceeded) return { kind: 'refuse', reply: { code: 554, enh: '5.4.0', text: 'Error: too many hops' } };
  if (result.rejected) return { kind: 'refuse', reply: reasonReply(550, result.reason!) };
  if (result.lookupFailed) return { kind: 'refuse', reply: { code: 451, enh: '4.3.0', text: 'Error: queue file write error' } };
  return { kind: 'queue', hold: actions.hold !== null };
}

// The reply code is the status's (cleanup_stat_detail()); the reason brings its own DSN, so
// `REJECT 5.7.0 text` answers `550 5.7.0 text`.
function reasonReply(code: number, reason: string): Reply {
  const space = reason.indexOf(' ');
  return { code, enh: reason.slice(0, space), text: reason.slice(space + 1) };
}
