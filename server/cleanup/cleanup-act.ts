/**
 * Acting on a header_checks or body_checks match, as Postfix's cleanup_act(): one table entry
 * per action word (spec/header-body-checks.md §5), each changing the message-wide inspection
 * state, logging its line, and saying what becomes of the matched header or body line: kept,
 * dropped (IGNORE, STRIP) or replaced (REPLACE).
 * Exports: ContentInspection, createContentInspection, ActContext, ActResult, cleanupAct.
 * Logs through the context: the action's line (cleanup-act-log.ts) and Postfix's warnings for
 * an action it cannot carry out (`unknown command in header_checks map: 550 ...`), which then
 * does nothing. Action words are case-insensitive.
 * HOLD, DISCARD, REDIRECT, FILTER and BCC go into the transaction's MessageActions, the same
 * record the smtpd restrictions fill, so both sources end the same way (message-actions.ts).
 */
import { headerNameLength } from './header-opts.ts';
import type { MessageActions } from './message-actions.ts';

/** The parts of Postfix's CLEANUP_STATE that content inspection changes. */
export interface ContentInspection {
  inspecting: boolean;      // CLEANUP_FLAG_FILTER_ALL: header and body checks still run
  reason: string | null;    // the REJECT reason, `5.7.1 text`; a leading 4 makes it a deferral
  rejected: boolean;        // CLEANUP_STAT_CONT: 550 after the final dot
  deferred: boolean;        // CLEANUP_STAT_DEFER: 451 after the final dot
  lookupFailed: boolean;    // CLEANUP_STAT_WRITE: a check table failed; 451, try again later
  actions: MessageActions;  // hold, discard, redirect, filter, bcc: shared with smtpd
}

/** createContentInspection - inspection on, nothing decided, over the transaction's actions. */
export function createContentInspection(actions: MessageActions): ContentInspection {
  return { inspecting: true, reason: null, rejected: false, deferred: false, lookupFailed: false, actions };
}

export interface ActContext {
  inspection: ContentInspection;
  context: 'header' | 'body';       // CLEANUP_ACT_CTXT_HEADER or _BODY
  mapClass: string;                  // header_checks, mime_header_checks ...: names the table in warnings
  /** log - the action's line: `QID: <action>: header <content> from ...: <text>`. */
  log(action: string, text: string): void;
  /** warn - a `warning:` line for an action that cannot be carried out. */
  warn(text: string): void;
  /** prepend - insert a line before the matched header or body line; not inspected itself. */
  prepend(text: string): void;
}

export type ActResult =
  | { kind: 'keep' }                 // the unit goes on unchanged
  | { kind: 'drop' }                 // IGNORE, STRIP: the unit is left out
  | { kind: 'replace'; text: string }; // REPLACE: the unit becomes this text

type Action = (text: string, ctx: ActContext) => ActResult;

const KEEP: ActResult = Object.freeze({ kind: 'keep' });
const DROP: ActResult = Object.freeze({ kind: 'drop' });

// cleanup_stat_detail(CLEANUP_STAT_CONT): the reason of a REJECT without text.
const CONTENT_REJECTED = '5.7.1 message content rejected';

const ACTIONS: ReadonlyMap<string, Action> = new Map<string, Action>([
  ['REJECT', (text, { inspection, warn, log }) => {
    let reason = CONTENT_REJECTED;
    if (text) {
      reason = prependDsn('5.7.1', text);
      if (reason[0] !== '4' && reason[0] !== '5') {
        warn(`bad DSN action in ${text} -- need 4.x.x or 5.x.x`);
        reason = '4' + reason.slice(1);
      }
    }
    inspection.reason = reason;
    if (reason[0] === '4') inspection.deferred = true;
    else inspection.rejected = true;
    inspection.inspecting = false;
    log('reject', reason);
    return KEEP;
  }],
  ['WARN', (text, { log }) => {
    log('warning', text);
    return KEEP;
  }],
  ['INFO', (text, { log }) => {
    log('info', text);
    return KEEP;
  }],
  ['FILTER', (text, { inspection, mapClass, warn, log }) => {
    if (!text) warn(`missing FILTER command argument in ${mapClass} map`);
    else if (!text.includes(':')) warn(`bad FILTER command ${text} in ${mapClass} -- need transport:destination`);
    else {
      inspection.actions.filter = text;
      log('filter', text);
    }
    return KEEP;
  }],
  ['PASS', (text, { inspection, log }) => {
    log('pass', text);
    inspection.inspecting = false;
    return KEEP;
  }],
  ['DISCARD', (text, { inspection, log }) => {
    log('discard', text);
    inspection.actions.discard ??= text;
    inspection.inspecting = false;
    return KEEP;
  }],
  ['HOLD', (text, { inspection, log }) => {
    const { actions } = inspection;
    if (actions.hold === null && actions.discard === null) {
      log('hold', text);
      actions.hold = text;
    }
    return KEEP;
  }],
  ['PREPEND', (text, { context, mapClass, warn, log, prepend }) => {
    if (!text) warn(`PREPEND action without text in ${mapClass} map`);
    else if (context === 'header' && !headerNameLength(text)) {
      warn(`bad PREPEND header text "${text}" in ${mapClass} map -- need "headername: headervalue"`);
    } else {
      log('prepend', text);
      prepend(text);
    }
    return KEEP;
  }],
  ['REPLACE', (text, { context, mapClass, warn, log }) => {
    if (!text) {
      warn(`REPLACE action without text in ${mapClass} map`);
      return KEEP;
    }
    if (context === 'header' && !headerNameLength(text)) {
      warn(`bad REPLACE header text "${text}" in ${mapClass} map -- need "headername: headervalue"`);
      return KEEP;
    }
    log('replace', text);
    return { kind: 'replace', text };
  }],
  ['REDIRECT', (text, { inspection, mapClass, warn, log }) => {
    if (!text.includes('@')) {
      warn(`bad REDIRECT target "${text}" in ${mapClass} map -- need user@domain`);
      return KEEP;
    }
    inspection.actions.redirect = text;
    log('redirect', text);
    // Postfix's cleanup_act() also ends inspection here, though header_checks(5) says it goes
    // on with the next line: we do what the code does.
    inspection.inspecting = false;
    return KEEP;
  }],
  ['BCC', (text, { inspection, mapClass, warn, log }) => {
    if (!text.includes('@')) {
      warn(`bad BCC address "${text}" in ${mapClass} map -- need user@domain`);
      return KEEP;
    }
    inspection.actions.bcc.push(text);
    log('bcc', text);
    return KEEP;
  }],
  ['STRIP', (text, { log }) => {
    log('strip', text);
    return DROP;
  }],
  ['IGNORE', () => DROP],
  ['DUNNO', () => KEEP],
  // OK is DUNNO: it ends the rule search for this one header or line, it allows nothing (§5).
  ['OK', () => KEEP],
]);

/**
 * cleanupAct - carry out a table's result for one header or body line; a result that is not an
 * action (`550 5.7.0 text` included) is logged as an unknown command and does nothing.
 */
export function cleanupAct(value: string, ctx: ActContext): ActResult {
  const end = value.search(/[ \t]/);
  const command = end < 0 ? value : value.slice(0, end);
  const text = end < 0 ? '' : value.slice(end).replace(/^\s+/, '');
  const action = /^[A-Za-z]+$/.test(command) ? ACTIONS.get(command.toUpperCase()) : undefined;
  if (action === undefined) {
    ctx.warn(`unknown command in ${ctx.mapClass} map: ${value}`);
    return KEEP;
  }
  return action(text, ctx);
}

// dsn_prepend(): the text's own RFC 3463 code when it starts with one, else the default.
function prependDsn(defaultDsn: string, text: string): string {
  const own = /^\s*([245]\.\d{1,3}\.\d{1,3})(?=\s|$)\s*/.exec(text);
  return own ? `${own[1]} ${text.slice(own[0].length)}` : `${defaultDsn} ${text.replace(/^\s+/, '')}`;
}
