// server/cleanup/cleanup-act.ts: each action word of header-body-checks.md §5 as a table
// entry: what becomes of the matched unit, what changes for the message, and what is logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanupAct, createContentInspection, type ActResult, type ContentInspection } from '../../../server/cleanup/cleanup-act.ts';
import { createMessageActions } from '../../../server/cleanup/message-actions.ts';

interface Case {
  label: string;
  value: string;                         // the table's result
  context?: 'header' | 'body';
  before?: (i: ContentInspection) => void;
  result: ActResult;
  log: string[];                         // `action: text` for action lines, `warning: text` for warnings
  prepended?: string[];
  state?: Partial<Omit<ContentInspection, 'actions'>>;
  actions?: Partial<ContentInspection['actions']>;
}

const KEEP: ActResult = { kind: 'keep' };
const DROP: ActResult = { kind: 'drop' };

const CASES: Case[] = [
  { label: 'REJECT without text: 5.7.1 message content rejected, inspection ends', value: 'REJECT', result: KEEP,
    log: ['reject: 5.7.1 message content rejected'], state: { reason: '5.7.1 message content rejected', rejected: true, deferred: false, inspecting: false } },
  { label: 'REJECT with text gets 5.7.1 in front', value: 'REJECT Go away with your spam', result: KEEP,
    log: ['reject: 5.7.1 Go away with your spam'], state: { reason: '5.7.1 Go away with your spam', rejected: true } },
  { label: 'REJECT with its own 5.X.Y code keeps it', value: 'REJECT 5.7.0 Custom enhanced status', result: KEEP,
    log: ['reject: 5.7.0 Custom enhanced status'], state: { reason: '5.7.0 Custom enhanced status', rejected: true } },
  { label: 'REJECT with a 4.X.Y code defers', value: 'REJECT 4.7.1 Please try again later', result: KEEP,
    log: ['reject: 4.7.1 Please try again later'], state: { reason: '4.7.1 Please try again later', rejected: false, deferred: true, inspecting: false } },
  { label: 'REJECT with a 2.X.Y code is a configuration error and defers', value: 'REJECT 2.0.0 odd', result: KEEP,
    log: ['warning: bad DSN action in 2.0.0 odd -- need 4.x.x or 5.x.x', 'reject: 4.0.0 odd'], state: { reason: '4.0.0 odd', deferred: true } },
  { label: 'reject is case-insensitive', value: 'reject spam', result: KEEP, log: ['reject: 5.7.1 spam'], state: { rejected: true } },
  { label: 'WARN logs `warning` and goes on', value: 'WARN suspicious subject', result: KEEP, log: ['warning: suspicious subject'], state: { inspecting: true } },
  { label: 'WARN without text logs the line without text', value: 'WARN', result: KEEP, log: ['warning: '] },
  { label: 'INFO logs `info`', value: 'INFO noteworthy', result: KEEP, log: ['info: noteworthy'] },
  { label: 'IGNORE drops the unit silently', value: 'IGNORE', result: DROP, log: [] },
  { label: 'IGNORE takes no notice of text after it', value: 'IGNORE whatever', result: DROP, log: [] },
  { label: 'STRIP drops the unit and logs', value: 'STRIP removed', result: DROP, log: ['strip: removed'] },
  { label: 'DISCARD sets discard and ends inspection', value: 'DISCARD dropped by header rule', result: KEEP,
    log: ['discard: dropped by header rule'], state: { inspecting: false }, actions: { discard: 'dropped by header rule' } },
  { label: 'DISCARD without text still discards', value: 'DISCARD', result: KEEP, log: ['discard: '], actions: { discard: '' } },
  { label: 'HOLD sets hold and goes on', value: 'HOLD held by header rule', result: KEEP,
    log: ['hold: held by header rule'], state: { inspecting: true }, actions: { hold: 'held by header rule' } },
  { label: 'HOLD after HOLD (smtpd or an earlier rule) is ignored, unlogged', value: 'HOLD again', before: (i) => { i.actions.hold = 'first'; },
    result: KEEP, log: [], actions: { hold: 'first' } },
  { label: 'HOLD after DISCARD is ignored', value: 'HOLD x', before: (i) => { i.actions.discard = 'd'; }, result: KEEP, log: [], actions: { hold: null } },
  { label: 'REDIRECT replaces the recipients; the last one wins; inspection ends as in cleanup_act()', value: 'REDIRECT quarantine@example.test',
    before: (i) => { i.actions.redirect = 'old@example.test'; }, result: KEEP,
    log: ['redirect: quarantine@example.test'], state: { inspecting: false }, actions: { redirect: 'quarantine@example.test' } },
  { label: 'REDIRECT without @ is refused with a warning', value: 'REDIRECT nobody', result: KEEP,
    log: ['warning: bad REDIRECT target "nobody" in header_checks map -- need user@domain'], state: { inspecting: true }, actions: { redirect: null } },
  { label: 'FILTER sets the content filter', value: 'FILTER smtp:[127.0.0.1]:10026', result: KEEP,
    log: ['filter: smtp:[127.0.0.1]:10026'], actions: { filter: 'smtp:[127.0.0.1]:10026' } },
  { label: 'FILTER without transport:destination is refused', value: 'FILTER nocolon', result: KEEP,
    log: ['warning: bad FILTER command nocolon in header_checks -- need transport:destination'], actions: { filter: null } },
  { label: 'FILTER without argument is refused', value: 'FILTER', result: KEEP, log: ['warning: missing FILTER command argument in header_checks map'] },
  { label: 'BCC adds a recipient', value: 'BCC archive@example.test', before: (i) => { i.actions.bcc.push('first@example.test'); }, result: KEEP,
    log: ['bcc: archive@example.test'], actions: { bcc: ['first@example.test', 'archive@example.test'] } },
  { label: 'BCC without @ is refused', value: 'BCC archive', result: KEEP, log: ['warning: bad BCC address "archive" in header_checks map -- need user@domain'], actions: { bcc: [] } },
  { label: 'PREPEND in a header context inserts a header line', value: 'PREPEND X-Flagged: yes', result: KEEP,
    log: ['prepend: X-Flagged: yes'], prepended: ['X-Flagged: yes'] },
  { label: 'PREPEND of a non-header in a header context is refused', value: 'PREPEND not a header', result: KEEP,
    log: ['warning: bad PREPEND header text "not a header" in header_checks map -- need "headername: headervalue"'], prepended: [] },
  { label: 'PREPEND in a body context inserts any line', value: 'PREPEND not a header', context: 'body', result: KEEP,
    log: ['prepend: not a header'], prepended: ['not a header'] },
  { label: 'PREPEND without text is refused', value: 'PREPEND', result: KEEP, log: ['warning: PREPEND action without text in header_checks map'] },
  { label: 'REPLACE in a header context needs a header', value: 'REPLACE Subject: [replaced]', result: { kind: 'replace', text: 'Subject: [replaced]' },
    log: ['replace: Subject: [replaced]'] },
  { label: 'REPLACE of a non-header in a header context is refused', value: 'REPLACE plain text', result: KEEP,
    log: ['warning: bad REPLACE header text "plain text" in header_checks map -- need "headername: headervalue"'] },
  { label: 'REPLACE in a body context takes any text', value: 'REPLACE plain text', context: 'body', result: { kind: 'replace', text: 'plain text' },
    log: ['replace: plain text'] },
  { label: 'REPLACE without text is refused', value: 'REPLACE', result: KEEP, log: ['warning: REPLACE action without text in header_checks map'] },
  { label: 'PASS ends inspection and logs', value: 'PASS trusted', result: KEEP, log: ['pass: trusted'], state: { inspecting: false } },
  { label: 'DUNNO does nothing', value: 'DUNNO', result: KEEP, log: [], state: { inspecting: true } },
  { label: 'OK is DUNNO: it allows nothing and inspection goes on', value: 'OK', result: KEEP, log: [], state: { inspecting: true, rejected: false } },
  { label: 'a numeric reply is not an action: warning, nothing else', value: '550 5.7.0 Stopped by header rule', result: KEEP,
    log: ['warning: unknown command in header_checks map: 550 5.7.0 Stopped by header rule'], state: { inspecting: true, rejected: false } },
  { label: 'an access-table word such as PERMIT is not an action either', value: 'PERMIT', result: KEEP,
    log: ['warning: unknown command in header_checks map: PERMIT'] },
];

for (const c of CASES) {
  test(c.label, () => {
    const inspection = createContentInspection(createMessageActions());
    c.before?.(inspection);
    const log: string[] = [];
    const prepended: string[] = [];
    const result = cleanupAct(c.value, {
      inspection,
      context: c.context ?? 'header',
      mapClass: 'header_checks',
      log: (action, text) => log.push(`${action}: ${text}`),
      warn: (text) => log.push(`warning: ${text}`),
      prepend: (text) => prepended.push(text),
    });
    assert.deepEqual(result, c.result);
    assert.deepEqual(log, c.log);
    if (c.prepended) assert.deepEqual(prepended, c.prepended);
    for (const [key, value] of Object.entries(c.state ?? {})) assert.deepEqual(inspection[key as keyof ContentInspection], value, key);
    for (const [key, value] of Object.entries(c.actions ?? {})) assert.deepEqual(inspection.actions[key as keyof ContentInspection['actions']], value, key);
  });
}
