// server/cleanup/cleanup-verdict.ts: the outcome after the final dot, strongest first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanupVerdict, type CleanupVerdict } from '../../../server/cleanup/cleanup-verdict.ts';
import type { CleanupResult } from '../../../server/cleanup/cleanup-message.ts';
import { createMessageActions, type MessageActions } from '../../../server/cleanup/message-actions.ts';

const CLEAN: CleanupResult = { hops: 1, hopsExceeded: false, messageId: null, reason: null, rejected: false, deferred: false, lookupFailed: false };

const CASES: { label: string; result?: Partial<CleanupResult>; actions?: Partial<MessageActions>; want: CleanupVerdict }[] = [
  { label: 'nothing decided: queued', want: { kind: 'queue', hold: false } },
  { label: 'HOLD: queued into hold', actions: { hold: 'held' }, want: { kind: 'queue', hold: true } },
  { label: 'REDIRECT, FILTER, BCC: queued normally', actions: { redirect: 'q@example.test', filter: 'smtp:[127.0.0.1]:10026', bcc: ['b@example.test'] }, want: { kind: 'queue', hold: false } },
  { label: 'content REJECT: 550 with its reason', result: { rejected: true, reason: '5.7.1 Go away with your spam' },
    want: { kind: 'refuse', reply: { code: 550, enh: '5.7.1', text: 'Go away with your spam' } } },
  { label: 'content REJECT with its own code', result: { rejected: true, reason: '5.7.0 Custom enhanced status' },
    want: { kind: 'refuse', reply: { code: 550, enh: '5.7.0', text: 'Custom enhanced status' } } },
  { label: 'content REJECT 4.x.x: 451 with its reason', result: { deferred: true, reason: '4.7.1 Please try again later' },
    want: { kind: 'refuse', reply: { code: 451, enh: '4.7.1', text: 'Please try again later' } } },
  { label: 'too many hops before a content REJECT (smtpd.c order)', result: { hopsExceeded: true, rejected: true, reason: '5.7.1 x' },
    want: { kind: 'refuse', reply: { code: 554, enh: '5.4.0', text: 'Error: too many hops' } } },
  { label: 'a deferral before too many hops', result: { hopsExceeded: true, deferred: true, reason: '4.7.1 later' },
    want: { kind: 'refuse', reply: { code: 451, enh: '4.7.1', text: 'later' } } },
  { label: 'a failed check table: 451 4.3.0', result: { lookupFailed: true }, want: { kind: 'refuse', reply: { code: 451, enh: '4.3.0', text: 'Error: queue file write error' } } },
  { label: 'DISCARD wins over everything, as cleanup_flush() clears the errors', actions: { discard: 'x', hold: 'y' }, result: { rejected: true, reason: '5.7.1 x', hopsExceeded: true },
    want: { kind: 'discard' } },
];

for (const c of CASES) {
  test(c.label, () => {
    assert.deepEqual(cleanupVerdict({ ...CLEAN, ...c.result }, { ...createMessageActions(), ...c.actions }), c.want);
  });
}
