/**
 * The evaluator: walks one compiled restriction list as Postfix's generic_checks() does
 * (spec/restrictions.md sections 2, 8 and 11). The first PERMIT or REJECT ends the list;
 * warn_if_reject covers the next step (a whole class, if that step is one); a restriction
 * class is evaluated in place and returns DUNNO when it ends undecided; evaluation stops once
 * both defer_if_permit and defer_if_reject are raised, and for the rest of the request after
 * an access-table DISCARD.
 * Exports: ListStatus, evaluateRestrictions.
 * Unknown names, not-yet-implemented restrictions and a bare table in a list without a
 * default check_*_access answer 451 4.3.5 Server configuration error with a warning.
 * No parsing and no I/O happen here: the compiler resolved every step. A session with a
 * trace (the policy simulator's) hears of every list and step (restriction-trace.ts).
 */
import type { Policy, RestrictionList, RestrictionStep } from './policy.ts';
import type { MailErrorClass, MessageAction, RestrictionEntry, RestrictionRequest } from './restriction.ts';
import type { PendingDeferral } from './smtpd-check-session.ts';
import {
  raiseDeferral,
  rejectRequest,
  rejectServerError,
  type EvaluationState,
  type Origin,
} from './evaluation-state.ts';
import { findRestriction } from './restriction-table.ts';

export type ListStatus = 'dunno' | 'permit' | 'reject';

// Named in Postfix's warning for a bare type:table where the list gives no default.
const ACCESS_RESTRICTIONS =
  'check_client_access, check_reverse_client_hostname_access, check_helo_access, check_sender_access, check_recipient_access, check_etrn_access';

/**
 * evaluateRestrictions - run one list for a request; defaultAccess is the check_*_access a
 * bare `type:table` stands for in this list (null in the DATA and end-of-data lists).
 */
export function evaluateRestrictions(
  state: EvaluationState,
  policy: Policy,
  list: RestrictionList,
  request: RestrictionRequest,
  defaultAccess: string | null,
): ListStatus {
  const savedRecursion = state.recursion++;
  const trace = request.session.trace;
  trace?.enterList(list, request);
  let status: ListStatus = 'dunno';
  const steps = list.steps;
  for (let i = 0; i < steps.length; i++) {
    if (state.discard) break; // generic_checks(): after DISCARD nothing more is evaluated
    const step = steps[i];
    trace?.beginStep(step, state);
    if (step.target.kind === 'restriction' && step.target.entry.name === 'warn_if_reject') {
      if (state.warnIfReject === 0) state.warnIfReject = state.recursion;
      trace?.endStep(step, 'dunno', state);
      continue;
    }
    status = runStep(state, policy, step, steps[i + 1] ?? null, request, defaultAccess);
    if (state.warnIfReject >= state.recursion) state.warnIfReject = 0;
    trace?.endStep(step, status, state);
    if (status !== 'dunno') break;
    if (state.deferIfPermit !== null && state.deferIfReject !== null) break;
  }
  state.recursion = savedRecursion;
  // The list may have ended with warn_if_reject.
  if (state.warnIfReject >= state.recursion) state.warnIfReject = 0;
  trace?.leaveList(list, status);
  return status;
}

function runStep(
  state: EvaluationState,
  policy: Policy,
  step: RestrictionStep,
  next: RestrictionStep | null,
  request: RestrictionRequest,
  defaultAccess: string | null,
): ListStatus {
  const origin: Origin = { restriction: step.name, parameter: step.parameter };
  switch (step.target.kind) {
    case 'unknown':
      return rejectServerError(state, origin, 'UNKNOWN_RESTRICTION', `unknown smtpd restriction: "${step.name}"`);
    case 'class':
      return evaluateRestrictions(state, policy, policy.restrictionClasses[step.target.className], request, defaultAccess);
    case 'access-table': {
      const entry = defaultAccess === null ? undefined : findRestriction(defaultAccess);
      if (entry === undefined) {
        return rejectServerError(
          state,
          origin,
          'BARE_TABLE_WITHOUT_DEFAULT',
          `specify one of (${ACCESS_RESTRICTIONS}) before ${request.replyClass} restriction "${step.name}"`,
        );
      }
      return runRestriction(state, policy, entry, { restriction: entry.name, parameter: step.parameter }, step.name, next, request);
    }
    case 'restriction':
      return runRestriction(state, policy, step.target.entry, origin, step.argument, next, request);
  }
}

function runRestriction(
  state: EvaluationState,
  policy: Policy,
  entry: RestrictionEntry,
  origin: Origin,
  argument: string | null,
  next: RestrictionStep | null,
  request: RestrictionRequest,
): ListStatus {
  if (entry.implementation === null) {
    return rejectServerError(
      state,
      origin,
      'RESTRICTION_NOT_IMPLEMENTED',
      `restriction "${origin.restriction}" is not implemented yet (it needs ${entry.needs ?? 'work'})`,
    );
  }
  if (entry.warning !== null) state.events.push({ kind: 'warning', code: 'DEPRECATED_RESTRICTION', text: entry.warning });

  const result = entry.implementation(request, policy, argument);
  request.session.trace?.restrictionResult(result);
  let status: ListStatus = 'dunno';
  switch (result.kind) {
    case 'dunno':
      for (const text of typeof result.warning === 'string' ? [result.warning] : result.warning ?? []) {
        state.events.push({ kind: 'warning', code: result.warningCode ?? 'ACTION_IGNORED', text });
      }
      break;
    case 'dns':
      // Stop here; the request runs again from the start once the answers are known.
      state.pendingDns = result.queries;
      return 'reject';
    case 'server-error':
      return rejectServerError(state, origin, 'ACCESS_TABLE_CONFIGURATION', result.warning);
    case 'evaluate':
      return evaluateRestrictions(state, policy, result.list, { ...request, replyName: result.replyName, replyClass: result.replyClass }, null);
    case 'action':
      status = takeAction(state, origin, result.action, request);
      break;
    case 'sleep':
      state.sleepSeconds += result.seconds;
      break;
    case 'permit':
      logPermit(state, policy, origin, `${result.replyClass ?? request.replyClass}=${result.replyName ?? request.replyName}`);
      status = 'permit';
      break;
    case 'reject':
      if (result.warning !== undefined) state.events.push({ kind: 'warning', code: 'REPLY_CODE_CONFIGURATION', text: result.warning });
      status = rejectRequest(state, origin, result.errorClass, result.code, result.enh, result.text);
      break;
    case 'defer_if_permit':
      // Under warn_if_reject a would-be deferral is only logged (Postfix's DEFER_IF_PERMIT macros).
      if (state.warnIfReject !== 0) status = rejectRequest(state, origin, result.errorClass, result.code, result.enh, result.text);
      else raiseDeferral(state, 'deferIfPermit', pendingDeferral(result, origin));
      break;
    case 'defer_if_reject':
      raiseDeferral(state, 'deferIfReject', pendingDeferral(result, origin));
      break;
  }

  if (entry.endsList && next !== null && (entry.name === 'permit' ? status === 'permit' : state.warnIfReject === 0)) {
    state.events.push({
      kind: 'warning',
      code: 'RESTRICTION_IGNORED',
      text: `restriction \`${next.name}' after \`${entry.name}' is ignored`,
    });
  }
  return status;
}

// Delegated actions act on the message, so they need a mail transaction: ETRN never has one,
// and before MAIL FROM (client and HELO lists with smtpd_delay_reject = no) there is none yet
// (Postfix's can_delegate_action() and not_in_client_helo()); they are then skipped with
// Postfix's warning. DISCARD ends the request as a PERMIT; PREPEND is not logged.
function takeAction(state: EvaluationState, origin: Origin, action: MessageAction, request: RestrictionRequest): ListStatus {
  const verb = action.verb.toUpperCase();
  const skip = (text: string): ListStatus => {
    state.events.push({ kind: 'warning', code: 'ACTION_IGNORED', text: `access table ${action.table}: ${text}` });
    return 'dunno';
  };
  if (action.verb !== 'warn' && action.verb !== 'info') {
    if (action.verb !== 'prepend' && request.where === 'ETRN') return skip(`action ${verb} is unavailable in smtpd_etrn_restrictions`);
    if (request.sender === null) {
      return skip(`with smtpd_delay_reject=no, action ${verb} is always skipped in Client host or Helo command restrictions`);
    }
    if (action.verb === 'prepend' && request.where === 'END-OF-MESSAGE') return skip('action PREPEND must be used before smtpd_end_of_data_restrictions');
  }
  state.events.push({ kind: 'action', action, restriction: origin.restriction, context: state.context });
  if (action.verb !== 'discard') return 'dunno';
  state.discard = true;
  return 'permit';
}

function pendingDeferral(
  result: { errorClass: MailErrorClass; code: number; enh: string; text: string },
  origin: Origin,
): PendingDeferral {
  const { errorClass, code, enh, text } = result;
  return { errorClass, code, enh, text, restriction: origin.restriction, parameter: origin.parameter };
}

// smtpd_acl_permit(): log `permit: ...` when smtpd_log_access_permit_actions names the action,
// unless a pending defer_if_permit overrules the permit.
function logPermit(state: EvaluationState, policy: Policy, origin: Origin, subject: string): void {
  const actions = policy.smtpdLogAccessPermitActions;
  if (state.deferIfPermit !== null) return;
  if (actions !== 'all' && !actions.includes(origin.restriction.toLowerCase())) return;
  state.events.push({
    kind: 'permit',
    text: `action=${origin.restriction} for ${subject}`,
    restriction: origin.restriction,
    parameter: origin.parameter,
    context: state.context,
  });
}
