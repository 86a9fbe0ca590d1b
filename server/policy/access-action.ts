/**
 * What an access-table value means (spec/access-maps.md section 3, Postfix's
 * check_table_result()): OK and its synonyms, REJECT/DEFER and numeric replies with their
 * text and DSN, the deferral flags, the delegated message actions, and any other value as
 * restrictions to run in place. A pure function of the value and the subject it was found for.
 * A FILTER, REDIRECT, BCC or PREPEND whose argument is unusable is skipped with Postfix's
 * warning (DUNNO); whether a delegated action can be carried out where it fired is the
 * evaluator's question (evaluate-restrictions.ts).
 * Exports: AccessSubject, accessActionResult, remapAddressDsn.
 * Reads: access_map_reject_code, access_map_defer_code (through the Policy), the declared
 * restriction classes.
 * Parsed restriction lists from values are kept per snapshot, so a million-entry table whose
 * values name a handful of classes parses each value once.
 */
import type { Policy, RestrictionList } from './policy.ts';
import type { MessageAction, ReplyClass, RestrictionResult } from './restriction.ts';
import { parseRestrictionList } from './parse-restriction-list.ts';

/** AccessSubject - what was looked up, for the reply text and the checks on the result. */
export interface AccessSubject {
  readonly replyName: string;         // NAME inside <>: the client, HELO name, address ...
  readonly replyClass: ReplyClass;    // CLASS: Client host, Sender address ...
  readonly tableSpec: string;         // `type:name`, for warnings
  readonly datum: string;             // the name or address looked up (not the key that matched), for warnings
  readonly restriction: string;       // the check_*_access it ran for, for warnings
  readonly okAllowed: boolean;        // false for *_a/_mx/_ns and reverse-name checks
  readonly okAsDunno: boolean;        // recipient with sender-specified routing: OK counts as DUNNO
}

const DSN_PREFIX = /^([245]\.\d{1,3}\.\d{1,3})(?:\s+|$)/;
const NUMERIC_REPLY = /^([45]\d\d)(?:\s+(.*))?$/s;
const valueLists = new WeakMap<Policy, Map<string, RestrictionList | string>>();

/** accessActionResult - the restriction result of an access-table value. */
export function accessActionResult(value: string, subject: AccessSubject, policy: Policy): RestrictionResult {
  const trimmed = value.trim();
  const space = trimmed.search(/\s/);
  const word = (space < 0 ? trimmed : trimmed.slice(0, space)).toUpperCase();
  const text = space < 0 ? '' : trimmed.slice(space).trim();
  const { replyName, replyClass } = subject;

  if (trimmed === '' || word === 'OK' || word === 'RELAY' || /^\d+$/.test(word) && space < 0) {
    if (!subject.okAllowed) {
      return {
        kind: 'server-error',
        warning: `access table ${subject.tableSpec}: with ${subject.restriction} specify DUNNO instead of OK`,
      };
    }
    return subject.okAsDunno ? { kind: 'dunno' } : { kind: 'permit' };
  }
  switch (word) {
    case 'DUNNO':
      return { kind: 'dunno' };
    case 'REJECT':
      return reply(policy.replyCodes.access_map_reject_code, text, 'Access denied', subject);
    case 'DEFER':
      return reply(policy.replyCodes.access_map_defer_code, text, 'Access denied', subject);
    case 'DEFER_IF_REJECT':
    case 'DEFER_IF_PERMIT': {
      const made = reply(policy.replyCodes.access_map_defer_code, text, 'Service unavailable', subject);
      if (made.kind !== 'reject') return made;
      return { ...made, kind: word === 'DEFER_IF_REJECT' ? 'defer_if_reject' : 'defer_if_permit' };
    }
    case 'HOLD':
      return action('hold', '', `<${replyName}>: ${replyClass} ${text || 'triggers HOLD action'}`, subject);
    case 'DISCARD':
      return action('discard', '', `<${replyName}>: ${replyClass} ${text || 'triggers DISCARD action'}`, subject);
    case 'WARN':
      return action('warn', '', text, subject);
    case 'INFO':
      return action('info', '', text, subject);
    // A FILTER, REDIRECT, BCC or PREPEND that cannot be carried out is skipped with a warning.
    case 'FILTER':
      if (text === '') return ignored(subject, 'has FILTER entry without value');
      if (!text.includes(':')) return ignored(subject, 'requires transport:destination');
      return action('filter', text, `<${replyName}>: ${replyClass} triggers FILTER ${text}`, subject);
    case 'REDIRECT':
    case 'BCC':
      if (!text.includes('@')) return ignored(subject, 'requires user@domain target');
      return action(word === 'REDIRECT' ? 'redirect' : 'bcc', text, `<${replyName}>: ${replyClass} triggers ${word} ${text}`, subject);
    case 'PREPEND':
      if (!/^[\x21-\x39\x3b-\x7e]+:/.test(text)) return ignored(subject, 'requires header: text');
      return action('prepend', text, '', subject);
  }
  const numeric = NUMERIC_REPLY.exec(trimmed);
  if (numeric) {
    if (!numeric[2]) return { kind: 'server-error', warning: `access table ${subject.tableSpec}: reply code ${numeric[1]} without text` };
    return reply(Number(numeric[1]), numeric[2].trim(), 'Access denied', subject);
  }
  if (/\b[a-z0-9_]+:/i.test(trimmed)) {
    return {
      kind: 'server-error',
      warning: `access table ${subject.tableSpec} has entry with lookup table: ${trimmed}; ` +
        'do not specify lookup tables inside SMTPD access maps; define a restriction class and specify its name instead',
    };
  }
  const list = restrictionsOf(trimmed, policy);
  if (typeof list === 'string') return { kind: 'server-error', warning: `access table ${subject.tableSpec}: ${list}` };
  return { kind: 'evaluate', list, replyName, replyClass };
}

function action(verb: MessageAction['verb'], argument: string, logText: string, subject: AccessSubject): RestrictionResult {
  return { kind: 'action', action: { verb, argument, logText, table: subject.tableSpec } };
}

function ignored(subject: AccessSubject, why: string): RestrictionResult {
  return { kind: 'dunno', warning: `access table ${subject.tableSpec} entry "${subject.datum}" ${why}` };
}

// `<NAME>: CLASS rejected: TEXT`; a leading DSN in the text is the reply's DSN (address DSNs
// adapted to what is refused), else X.7.1 of the code's class.
function reply(code: number, text: string, fallback: string, subject: AccessSubject): RestrictionResult {
  const dsn = DSN_PREFIX.exec(text);
  const enh = dsn ? remapAddressDsn(dsn[1], subject.replyClass) : `${String(code)[0]}.7.1`;
  const reason = (dsn ? text.slice(dsn[0].length) : text) || fallback;
  return {
    kind: 'reject',
    errorClass: 'policy',
    code,
    enh,
    text: `<${subject.replyName}>: ${subject.replyClass} rejected: ${reason}`,
  };
}

/** remapAddressDsn - an X.1.Y DSN adapted to what is refused (spec/restrictions.md section 9). */
export function remapAddressDsn(enh: string, replyClass: ReplyClass): string {
  const [x, subjectCode, detail] = enh.split('.');
  if (subjectCode !== '1') return enh;
  if (replyClass === 'Sender address') return `${x}.1.${SENDER_DETAIL[detail] ?? '0'}`;
  if (replyClass === 'Recipient address') return `${x}.1.${RECIPIENT_DETAIL[detail] ?? '0'}`;
  return `${x}.0.0`;
}

const SENDER_DETAIL: Record<string, string> = { 1: '7', 2: '8', 3: '7', 4: '7', 5: '0', 6: '7', 7: '7', 8: '8' };
const RECIPIENT_DETAIL: Record<string, string> = { 1: '1', 2: '2', 3: '3', 4: '4', 5: '5', 6: '6', 7: '3', 8: '2' };

// The value as a restriction list, parsed once per snapshot; a string is why it cannot be one.
function restrictionsOf(value: string, policy: Policy): RestrictionList | string {
  let cache = valueLists.get(policy);
  if (cache === undefined) {
    cache = new Map();
    valueLists.set(policy, cache);
  }
  let list = cache.get(value);
  if (list === undefined) {
    const parsed = parseRestrictionList('access table value', value, policy.restrictionClassNames);
    const unknown = parsed.list.steps.find((s) => s.target.kind === 'unknown');
    list = parsed.errors.length ? parsed.errors.join('; ')
      : unknown ? `unknown smtpd restriction: "${unknown.name}"` : parsed.list;
    if (cache.size < 10_000) cache.set(value, list);
  }
  return list;
}
