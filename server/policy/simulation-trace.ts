/**
 * The policy simulator's recorder: it implements the evaluator's trace hook
 * (restriction-trace.ts) and turns one policy request into a tree of the lists and steps
 * evaluated, each step with its outcome (permit, dunno, reject with its reply, reject_warning
 * under warn_if_reject, defer_if_permit/defer_if_reject raised, an access-table action, sleep),
 * the table lookups it made (keys tried in access(5) order, the key that matched), the DNS
 * answers it read, its warnings, and what it evaluated nested (a restriction class, or the
 * restrictions an access-table value names).
 * Exports: StepOutcome, TracedLookup, TracedDns, TracedStep, TracedList, SimulationTrace.
 * Everything recorded is plain data, ready for the console. The recorder only reads the
 * evaluation state; lookups and DNS answers reach it through the simulator's own table and
 * DNS wrappers (simulation-snapshot.ts, simulate-session.ts), never through the gateway's.
 */
import type { RestrictionList, RestrictionStep } from './policy.ts';
import type { ReplyClass, RestrictionRequest, RestrictionResult } from './restriction.ts';
import type { EvaluationState } from './evaluation-state.ts';
import type { ListStatus } from './evaluate-restrictions.ts';
import type { RestrictionTrace } from './restriction-trace.ts';
import type { DnsAnswer, DnsQueryType } from './dns-answers.ts';
import type { LookupResult } from '../maps/lookup-table.ts';
import { findRestriction } from './restriction-table.ts';
import { makeReply, type Reply } from './reply.ts';

export type StepOutcome =
  | 'permit'           // the list ends: accepted
  | 'dunno'            // no opinion: the next step runs
  | 'reject'           // the request is refused with `reply`
  | 'reject_warning'   // under warn_if_reject: `reply` is only logged
  | 'defer_if_permit'  // the flag is raised (or was already): `reply` answers if nothing rejects
  | 'defer_if_reject'  // the flag is raised (or was already): `reply` replaces a later 5xx
  | 'action'           // an access-table HOLD, DISCARD, REDIRECT, FILTER, BCC, PREPEND, WARN or INFO
  | 'sleep'            // waited `sleep N` seconds (not in the simulator), then went on
  | 'warn_if_reject'   // marks the next step
  | 'dns';             // stopped to ask DNS (only in runs that were repeated with the answers)

/** TracedLookup - one access lookup in one table: the keys tried in order, and what the last one found. */
export interface TracedLookup {
  table: string;                           // `type:name` as the step names it
  keysTried: string[];                     // in access(5) order
  status: 'found' | 'notfound' | 'retry';
  key: string | null;                      // the key that matched (found) or failed (retry)
  value: string | null;                    // the table's value for it
  line: number | null;                     // the rule or line that matched, where known
}

/** TracedDns - one DNS answer a step read (asked now or earlier in the session). */
export interface TracedDns {
  type: DnsQueryType;
  name: string;
  status: 'found' | 'notfound' | 'retry';
  records: string[];                       // addresses, names, TXT text; MX as `10 mx.example.com`
  reason: string | null;                   // a retry's reason, in Postfix's words
}

export interface TracedStep {
  parameter: string;                       // the list or class it is written in
  index: number;                           // 1-based position there
  name: string;                            // as written
  argument: string | null;                 // table, DNS zone or number
  restriction: string | null;              // what ran: the name, check_*_access for a bare table; null for a class
  underWarnIfReject: boolean;              // the step before was warn_if_reject
  outcome: StepOutcome;
  reply: Reply | null;                     // reject, reject_warning and deferral outcomes
  text: string | null;                     // an action's log text, a permit's, a sleep's seconds, a note
  decided: boolean;                        // this step gave the request its reply
  lookups: TracedLookup[];
  dns: TracedDns[];
  warnings: string[];                      // `warning: ...` lines this step caused
  nested: TracedList[];                    // a class, or restrictions named by a table value
}

export interface TracedList {
  parameter: string;                       // smtpd_*_restrictions, a class, or `access table value`
  replyName: string;                       // NAME in `<NAME>: CLASS rejected: ...`
  replyClass: ReplyClass;
  status: ListStatus;                      // how the list ended
  steps: TracedStep[];
}

interface StepFrame {
  readonly step: TracedStep;
  readonly rejected: boolean;              // the request was already refused when the step began
  readonly eventsAt: number;               // state.events.length when it began
  readonly claimed: Set<number>;           // event indices nested steps already account for
  readonly deferIfPermit: unknown;         // state.deferIfPermit when it began
  readonly deferIfReject: unknown;
  readonly sleepSeconds: number;
  result: RestrictionResult | null;        // what the implementation answered
  childDecided: boolean;                   // a nested step decided
}

/** SimulationTrace - records one run of one policy check. */
export class SimulationTrace implements RestrictionTrace {
  readonly lists: TracedList[] = [];            // the top-level lists, in the order they ran
  readonly lookups: TracedLookup[] = [];        // lookups made outside any step (smtpd_reject_unlisted_*)
  readonly dns: TracedDns[] = [];               // DNS read outside any step
  #lists: TracedList[] = [];                    // open lists, innermost last
  #steps: StepFrame[] = [];                     // open steps, innermost last

  /** decidedStep - the step that gave the reply, if a step did (not the implicit checks or a final deferral). */
  decidedStep(): TracedStep | null {
    const find = (lists: readonly TracedList[]): TracedStep | null => {
      for (const list of lists) {
        for (const step of list.steps) {
          if (step.decided) return step;
          const inner = find(step.nested);
          if (inner !== null) return inner;
        }
      }
      return null;
    };
    return find(this.lists);
  }

  enterList(list: RestrictionList, request: RestrictionRequest): void {
    const traced: TracedList = { parameter: list.parameter, replyName: request.replyName, replyClass: request.replyClass, status: 'dunno', steps: [] };
    const outer = this.#steps.at(-1);
    if (outer === undefined) this.lists.push(traced);
    else outer.step.nested.push(traced);
    this.#lists.push(traced);
  }

  beginStep(step: RestrictionStep, state: EvaluationState): void {
    const traced: TracedStep = {
      parameter: step.parameter,
      index: step.index,
      name: step.name,
      argument: step.argument,
      restriction: restrictionOf(step, this.#lists.at(-1)?.replyClass),
      underWarnIfReject: state.warnIfReject !== 0,
      outcome: 'dunno',
      reply: null,
      text: null,
      decided: false,
      lookups: [],
      dns: [],
      warnings: [],
      nested: [],
    };
    this.#lists.at(-1)?.steps.push(traced);
    this.#steps.push({
      step: traced,
      rejected: state.rejection !== null,
      eventsAt: state.events.length,
      claimed: new Set(),
      deferIfPermit: state.deferIfPermit,
      deferIfReject: state.deferIfReject,
      sleepSeconds: state.sleepSeconds,
      result: null,
      childDecided: false,
    });
  }

  restrictionResult(result: RestrictionResult): void {
    const frame = this.#steps.at(-1);
    if (frame !== undefined && frame.result === null) frame.result = result;
  }

  endStep(step: RestrictionStep, status: ListStatus, state: EvaluationState): void {
    const frame = this.#steps.pop();
    if (frame === undefined) return;
    const traced = frame.step;
    const events: EvaluationState['events'][number][] = [];
    for (let i = frame.eventsAt; i < state.events.length; i++) if (!frame.claimed.has(i)) events.push(state.events[i]);
    const parent = this.#steps.at(-1);
    if (parent !== undefined) for (let i = frame.eventsAt; i < state.events.length; i++) parent.claimed.add(i);
    traced.warnings = events.flatMap((e) => (e.kind === 'warning' ? [e.text] : []));
    const result = frame.result;

    if (step.target.kind === 'restriction' && step.target.entry.name === 'warn_if_reject') {
      traced.outcome = 'warn_if_reject';
    } else if (state.pendingDns !== null) {
      traced.outcome = 'dns';
      traced.text = state.pendingDns.map((q) => `${q.type} ${q.name}`).join(', ');
    } else if (!frame.rejected && state.rejection !== null) {
      traced.outcome = 'reject';
      traced.reply = state.rejection.reply;
      traced.decided = !frame.childDecided;
      // defer_if_reject turned this 5xx into the deferral it was holding.
      if (traced.decided && state.rejection.restriction !== (traced.restriction ?? step.name) && state.rejection.restriction !== step.name) {
        traced.text = `defer_if_reject raised by ${state.rejection.restriction} (${state.rejection.parameter}) replaced this reject`;
      }
      if (parent !== undefined) parent.childDecided = true;
    } else if (result?.kind === 'action') {
      traced.outcome = 'action';
      traced.text = `${result.action.verb.toUpperCase()}${result.action.argument ? ' ' + result.action.argument : ''}` +
        (traced.warnings.length ? ' (skipped)' : '');
    } else if (status === 'permit') {
      traced.outcome = 'permit';
      const permitLog = events.find((e) => e.kind === 'permit');
      if (permitLog !== undefined && permitLog.kind === 'permit') traced.text = permitLog.text;
    } else if (events.some((e) => e.kind === 'reject_warning')) {
      const warned = events.find((e) => e.kind === 'reject_warning');
      traced.outcome = 'reject_warning';
      if (warned !== undefined && warned.kind === 'reject_warning') traced.reply = warned.reply;
    } else if (result?.kind === 'defer_if_permit' || result?.kind === 'defer_if_reject') {
      traced.outcome = result.kind;
      traced.reply = makeReply(result.code, result.enh, result.text).reply;
      const flag = result.kind === 'defer_if_permit' ? frame.deferIfPermit : frame.deferIfReject;
      if (flag !== null) traced.text = 'already raised earlier in this request: the first reason is kept';
    } else if (result?.kind === 'sleep') {
      traced.outcome = 'sleep';
      traced.text = `${state.sleepSeconds - frame.sleepSeconds} s`;
    } else {
      traced.outcome = 'dunno';
    }
  }

  leaveList(list: RestrictionList, status: ListStatus): void {
    const traced = this.#lists.pop();
    if (traced !== undefined) traced.status = status;
  }

  /** noteLookup - one lookup(key) of a table: joins the lookup in progress in that table, or starts one. */
  noteLookup(table: string, key: string, result: LookupResult): void {
    const into = this.#steps.at(-1)?.step.lookups ?? this.lookups;
    let lookup = into.at(-1);
    if (lookup === undefined || lookup.table !== table || lookup.status !== 'notfound') {
      lookup = { table, keysTried: [], status: 'notfound', key: null, value: null, line: null };
      into.push(lookup);
    }
    lookup.keysTried.push(key);
    if (result.status === 'found') Object.assign(lookup, { status: 'found', key, value: result.value, line: result.line ?? null });
    else if (result.status === 'retry') Object.assign(lookup, { status: 'retry', key, value: result.reason });
  }

  /** noteDns - an answer a restriction read; each query once per step. */
  noteDns(type: DnsQueryType, name: string, answer: DnsAnswer): void {
    const into = this.#steps.at(-1)?.step.dns ?? this.dns;
    if (into.some((d) => d.type === type && d.name === name)) return;
    into.push(describeDnsAnswer(type, name, answer));
  }
}

/** describeDnsAnswer - an answer as plain data. */
export function describeDnsAnswer(type: DnsQueryType, name: string, answer: DnsAnswer): TracedDns {
  if (answer.status === 'retry') return { type, name, status: 'retry', records: [], reason: answer.reason };
  if (answer.status === 'notfound') return { type, name, status: 'notfound', records: [], reason: null };
  const records = (answer.records as readonly (string | { exchange: string; priority: number })[])
    .map((r) => (typeof r === 'string' ? r : `${r.priority} ${r.exchange || '.'}`));
  return { type, name, status: 'found', records, reason: null };
}

// The restriction a step runs: a bare `type:table` is the list's check_*_access.
function restrictionOf(step: RestrictionStep, replyClass: ReplyClass | undefined): string | null {
  switch (step.target.kind) {
    case 'restriction':
      return step.target.entry.name;
    case 'class':
      return null;
    case 'unknown':
      return step.name;
    case 'access-table': {
      const name = replyClass === undefined ? undefined : DEFAULT_ACCESS[replyClass];
      return name !== undefined && findRestriction(name) !== undefined ? name : step.name;
    }
  }
}

const DEFAULT_ACCESS: Partial<Record<ReplyClass, string>> = {
  'Client host': 'check_client_access',
  'Helo command': 'check_helo_access',
  'Sender address': 'check_sender_access',
  'Recipient address': 'check_recipient_access',
  'Etrn command': 'check_etrn_access',
};
