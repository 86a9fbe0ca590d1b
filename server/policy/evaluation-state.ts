/**
 * The state of one policy request while its lists run, and what a reject does to it: the
 * part of SMTPD_STATE that generic_checks() and smtpd_check_reject() keep (warn_if_reject,
 * the defer_if_permit and defer_if_reject flags, spec/restrictions.md section 8).
 * Exports: Rejection, EvaluationState, Origin, createEvaluationState, resetEvaluationState,
 * rejectRequest, rejectServerError, raiseDeferral.
 * rejectRequest() is smtpd_check_reject(): under warn_if_reject a policy reject becomes a
 * `reject_warning` event (configuration and resource errors still reject); a 5xx reject
 * after defer_if_reject becomes that deferral; every reply goes through makeReply().
 */
import type { MailErrorClass } from './restriction.ts';
import type { LogContext, PolicyLogEvent, PolicyWarningCode } from './policy-log-event.ts';
import type { PendingDeferral } from './smtpd-check-session.ts';
import { makeReply, type Reply } from './reply.ts';
import type { DnsQuery } from './dns-answers.ts';

export interface Rejection {
  readonly reply: Reply;
  readonly errorClass: MailErrorClass;
  readonly restriction: string; // as written in the list
  readonly parameter: string;   // list or class parameter holding it
}

export interface EvaluationState {
  recursion: number;                     // nesting depth of the list being walked (classes add one)
  warnIfReject: number;                  // 0, or the depth whose next step is under warn_if_reject
  deferIfPermit: PendingDeferral | null; // first defer_if_permit reason of this request
  deferIfReject: PendingDeferral | null; // first defer_if_reject reason of this list run
  rejection: Rejection | null;           // set when the request is refused
  readonly events: PolicyLogEvent[];     // warnings and reject_warnings, in order
  sleepSeconds: number;                  // total of `sleep N` steps passed
  pendingDns: readonly DnsQuery[] | null; // answers the request waits for; evaluation stopped there
  discard: boolean;                      // an access-table DISCARD fired: no further restriction runs
  readonly context: LogContext;          // request facts for log events
}

/** Origin - the step a reply is attributed to. */
export interface Origin {
  readonly restriction: string; // as written
  readonly parameter: string;   // list or class holding it
}

/** createEvaluationState - fresh state for one request, carrying an earlier defer_if_permit. */
export function createEvaluationState(context: LogContext, deferIfPermit: PendingDeferral | null): EvaluationState {
  return {
    recursion: 0,
    warnIfReject: 0,
    deferIfPermit,
    deferIfReject: null,
    rejection: null,
    events: [],
    sleepSeconds: 0,
    pendingDns: null,
    discard: false,
    context,
  };
}

/** resetEvaluationState - SMTPD_CHECK_RESET(): before each list group, forget warn_if_reject and defer_if_reject. */
export function resetEvaluationState(state: EvaluationState): void {
  state.recursion = 0;
  state.warnIfReject = 0;
  state.deferIfReject = null;
}

/**
 * rejectRequest - refuse the request, or only log it under warn_if_reject; answers 'reject'
 * when the request is refused (state.rejection is then set), 'dunno' when evaluation goes on.
 */
export function rejectRequest(
  state: EvaluationState,
  origin: Origin,
  errorClass: MailErrorClass,
  code: number,
  enh: string,
  text: string,
): 'reject' | 'dunno' {
  // Configuration, software and data errors cannot be turned into warnings.
  const warnOnly =
    state.warnIfReject !== 0 && errorClass !== 'software' && errorClass !== 'resource' && errorClass !== 'data';
  const made = makeReply(code, enh, text);
  if (made.warning !== null) {
    const warningCode: PolicyWarningCode = made.warning.startsWith('DSN') ? 'DSN_CONFIGURATION' : 'REPLY_CODE_CONFIGURATION';
    state.events.push({ kind: 'warning', code: warningCode, text: made.warning });
  }
  // An earlier temporary problem may have hidden a reason to accept: defer, and report it.
  const deferral = state.deferIfReject;
  if (!warnOnly && deferral !== null && made.reply.code >= 500) {
    state.warnIfReject = 0;
    state.deferIfReject = null;
    return rejectRequest(state, deferral, deferral.errorClass, deferral.code, deferral.enh, deferral.text);
  }
  if (warnOnly) {
    state.events.push({ kind: 'reject_warning', reply: made.reply, ...origin, context: state.context });
    return 'dunno';
  }
  state.rejection = { reply: made.reply, errorClass, restriction: origin.restriction, parameter: origin.parameter };
  return 'reject';
}

/** rejectServerError - reject_server_error(): warning, then `451 4.3.5 Server configuration error`. */
export function rejectServerError(state: EvaluationState, origin: Origin, code: PolicyWarningCode, warning: string): 'reject' {
  state.events.push({ kind: 'warning', code, text: warning });
  rejectRequest(state, origin, 'software', 451, '4.3.5', 'Server configuration error');
  return 'reject';
}

/** raiseDeferral - defer_if(): keep the first reason of each kind, ignore later ones. */
export function raiseDeferral(
  state: EvaluationState,
  kind: 'deferIfPermit' | 'deferIfReject',
  deferral: PendingDeferral,
): void {
  if (state[kind] === null) state[kind] = deferral;
}
