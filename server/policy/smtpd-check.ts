/**
 * The policy entry points the SMTP front calls, one per request, as Postfix's
 * smtpd_check_client/helo/mail/rcpt/etrn/data/eod() (spec/restrictions.md sections 2-4 and 7):
 * which lists run when, in which order, what carries from one stage to the next, and the
 * final defer_if_permit. Each is a pure function of the snapshot and the session values.
 * Exports: CheckVerdict, checkClient, checkHelo, checkMail, checkRcpt, checkVrfy, checkEtrn,
 * checkData, checkEod (and the SmtpdCheckSession and PendingDeferral types).
 * Reads (from the Policy): smtpd_delay_reject, smtpd_relay_before_recipient_restrictions and
 * every restriction list.
 * The front logs what a verdict says: for a reject `NOQUEUE: reject: RCPT from name[addr]:
 * <formatReply(reply)>; from=<s> to=<r> proto=ESMTP helo=<h>` with the verdict's context, then
 * each event (reject_warning, permit, warning) the same way; it waits sleepSeconds before
 * replying, and keeps deferIfPermit in the session when smtpd_delay_reject = no.
 * smtpd_reject_unlisted_sender runs right after the sender list, smtpd_reject_unlisted_recipient
 * after the recipient lists: they reject unknown senders and recipients.
 */
import type { LogContext, PolicyLogEvent } from './policy-log-event.ts';
import type { Policy, RestrictionListParameter } from './policy.ts';
import type { Reply } from './reply.ts';
import type { MailErrorClass, ReplyClass, RestrictionRequest } from './restriction.ts';
import type { PendingDeferral, SmtpdCheckSession } from './smtpd-check-session.ts';
import type { SmtpdStage } from './smtpd-stage.ts';
import type { DnsQuery } from './dns-answers.ts';
import { evaluateRestrictions, type ListStatus } from './evaluate-restrictions.ts';
import { unlistedRecipientResult, unlistedSenderResult } from './restrictions/unlisted-recipient.ts';
import {
  createEvaluationState,
  rejectRequest,
  resetEvaluationState,
  type EvaluationState,
} from './evaluation-state.ts';

export type { PendingDeferral, SmtpdCheckSession } from './smtpd-check-session.ts';

export type CheckVerdict =
  | {
      readonly kind: 'dunno';                        // no list refused: go on (for RCPT/VRFY: accept)
      readonly stage: SmtpdStage;
      readonly deferIfPermit: PendingDeferral | null; // CONNECT/HELO/MAIL with delay no: keep in the session
      readonly events: readonly PolicyLogEvent[];
      readonly sleepSeconds: number;                 // wait this long before replying (`sleep N` steps)
    }
  | {
      readonly kind: 'reject';
      readonly stage: SmtpdStage;
      readonly reply: Reply;                         // send as is (soft_bounce and footer are the front's)
      readonly errorClass: MailErrorClass;           // for notify_classes
      readonly restriction: string;                  // the step that decided, as written
      readonly parameter: string;                    // the list or class holding it
      readonly logEvent: 'reject';
      readonly context: LogContext;                  // from=, to=, helo= of the log line
      readonly deferIfPermit: PendingDeferral | null; // as for dunno: Postfix keeps it even after a reject
      readonly events: readonly PolicyLogEvent[];
      readonly sleepSeconds: number;
    }
  | {
      readonly kind: 'dns';                          // ask these, then run the same check again
      readonly stage: SmtpdStage;
      readonly queries: readonly DnsQuery[];
      readonly deferIfPermit: null;
      readonly events: readonly PolicyLogEvent[];    // always empty: the run that decides has them
      readonly sleepSeconds: 0;
    };

type RequestFacts = Pick<RestrictionRequest, 'session' | 'where' | 'helo' | 'sender' | 'recipient' | 'etrnDomain'>;

/**
 * checkClient - smtpd_client_restrictions at connect (or after XCLIENT); with
 * smtpd_delay_reject = yes it does nothing here: the list runs at each RCPT, VRFY and ETRN.
 */
export function checkClient(policy: Policy, s: SmtpdCheckSession, where: 'CONNECT' | 'XCLIENT' = 'CONNECT'): CheckVerdict {
  const facts: RequestFacts = { session: s, where, helo: s.helo, sender: s.sender, recipient: s.recipient ?? null, etrnDomain: null };
  const state = createEvaluationState(contextOf(facts), null);
  if (!policy.smtpdDelayReject) runClientList(state, policy, facts);
  return verdictOf(state, where, state.deferIfPermit);
}

/**
 * checkHelo - smtpd_helo_restrictions for s.helo, the HELO/EHLO argument just received
 * (delay no only); logged as EHLO when s.protocol is ESMTP. If it rejects, the front must
 * not keep the name.
 */
export function checkHelo(policy: Policy, s: SmtpdCheckSession): CheckVerdict {
  const where = s.protocol === 'ESMTP' ? 'EHLO' : 'HELO';
  const facts: RequestFacts = { session: s, where, helo: s.helo, sender: s.sender, recipient: s.recipient ?? null, etrnDomain: null };
  const state = createEvaluationState(contextOf(facts), null);
  if (!policy.smtpdDelayReject && s.helo !== null) runHeloList(state, policy, facts, s.deferIfPermitClient ?? null);
  return verdictOf(state, where, state.deferIfPermit);
}

/** checkMail - smtpd_sender_restrictions for s.sender, the MAIL FROM just received ('' = null sender; delay no only). */
export function checkMail(policy: Policy, s: SmtpdCheckSession): CheckVerdict {
  const facts: RequestFacts = { session: s, where: 'MAIL', helo: s.helo, sender: s.sender, recipient: null, etrnDomain: null };
  const state = createEvaluationState(contextOf(facts), null);
  if (!policy.smtpdDelayReject && s.sender !== null) {
    runSenderList(state, policy, facts, s.deferIfPermitClient ?? s.deferIfPermitHelo ?? null);
  }
  return verdictOf(state, 'MAIL', state.deferIfPermit);
}

/**
 * checkRcpt - one RCPT TO, in internal form as the client wrote it (before @$myorigin is
 * added, so that reject_non_fqdn_recipient and the bare-postmaster rule see it): with
 * delay yes the client, helo and sender lists first, then smtpd_relay_restrictions and
 * smtpd_recipient_restrictions (swapped by smtpd_relay_before_recipient_restrictions = no).
 * A bare `postmaster` (any case) is never judged (RFC 5321 section 4.5.1): dunno at once.
 */
export function checkRcpt(policy: Policy, s: SmtpdCheckSession, recipient: string): CheckVerdict {
  return checkRecipient(policy, s, recipient, 'RCPT');
}

/** checkVrfy - a VRFY argument, judged exactly like a RCPT TO. */
export function checkVrfy(policy: Policy, s: SmtpdCheckSession, recipient: string): CheckVerdict {
  return checkRecipient(policy, s, recipient, 'VRFY');
}

/** checkEtrn - with delay yes the client and helo lists, then smtpd_etrn_restrictions for the domain. */
export function checkEtrn(policy: Policy, s: SmtpdCheckSession, domain: string): CheckVerdict {
  const facts: RequestFacts = { session: s, where: 'ETRN', helo: s.helo, sender: s.sender, recipient: null, etrnDomain: domain };
  const state = createEvaluationState(contextOf(facts), null);
  let deferral = s.deferIfPermitClient ?? s.deferIfPermitHelo ?? null;
  if (policy.smtpdDelayReject) {
    const delayed = runDelayedLists(state, policy, facts, false);
    if (delayed === 'reject') return verdictOf(state, 'ETRN', null);
    deferral = delayed;
  }
  state.deferIfPermit = deferral;
  resetEvaluationState(state);
  const status = runList(state, policy, 'smtpd_etrn_restrictions', facts, domain, 'Etrn command', 'check_etrn_access');
  applyDeferIfPermit(state, status);
  return verdictOf(state, 'ETRN', null);
}

/** checkData - smtpd_data_restrictions; recipient restrictions see the recipient only when there is one. */
export function checkData(policy: Policy, s: SmtpdCheckSession): CheckVerdict {
  return checkMessage(policy, s, 'DATA', 'smtpd_data_restrictions', 'Data command');
}

/** checkEod - smtpd_end_of_data_restrictions after the final dot, before the queue file is committed. */
export function checkEod(policy: Policy, s: SmtpdCheckSession): CheckVerdict {
  return checkMessage(policy, s, 'END-OF-MESSAGE', 'smtpd_end_of_data_restrictions', 'End-of-data');
}

function checkRecipient(policy: Policy, s: SmtpdCheckSession, recipient: string, where: 'RCPT' | 'VRFY'): CheckVerdict {
  const facts: RequestFacts = { session: s, where, helo: s.helo, sender: s.sender, recipient, etrnDomain: null };
  const state = createEvaluationState(contextOf(facts), null);
  if (recipient.toLowerCase() === 'postmaster') return verdictOf(state, where, null);

  let deferral = s.deferIfPermitSender ?? null;
  if (policy.smtpdDelayReject) {
    const delayed = runDelayedLists(state, policy, facts, true);
    if (delayed === 'reject') return verdictOf(state, where, null);
    deferral = delayed;
  }
  state.deferIfPermit = deferral;
  resetEvaluationState(state); // once for both lists: defer_if_reject carries from one to the other
  const lists: RestrictionListParameter[] = policy.smtpdRelayBeforeRecipientRestrictions
    ? ['smtpd_relay_restrictions', 'smtpd_recipient_restrictions']
    : ['smtpd_recipient_restrictions', 'smtpd_relay_restrictions'];
  let status: ListStatus = 'dunno';
  for (const parameter of lists) {
    status = runList(state, policy, parameter, facts, recipient, 'Recipient address', 'check_recipient_access');
    if (status === 'reject') break;
  }
  // A pending defer_if_permit answers first, as in smtpd_check_rcpt(); then
  // smtpd_reject_unlisted_recipient, even when the lists said OK, but not after a DISCARD.
  status = applyDeferIfPermit(state, status);
  if (status !== 'reject' && policy.unlistedRecipient.implicit && !state.discard) {
    const unlisted = unlistedRecipientResult(recipient, policy);
    if (unlisted.kind === 'reject') {
      const origin = { restriction: 'smtpd_reject_unlisted_recipient', parameter: 'smtpd_reject_unlisted_recipient' };
      rejectRequest(state, origin, unlisted.errorClass, unlisted.code, unlisted.enh, unlisted.text);
    }
  }
  return verdictOf(state, where, null);
}

function checkMessage(
  policy: Policy,
  s: SmtpdCheckSession,
  where: 'DATA' | 'END-OF-MESSAGE',
  parameter: RestrictionListParameter,
  replyClass: ReplyClass,
): CheckVerdict {
  // One recipient of several would be misleading in restrictions and logs alike.
  const recipient = s.recipientCount > 1 ? null : (s.recipient ?? null);
  const facts: RequestFacts = { session: s, where, helo: s.helo, sender: s.sender, recipient, etrnDomain: null };
  const state = createEvaluationState(contextOf(facts), null); // an earlier RCPT's defer_if_permit does not count here
  resetEvaluationState(state);
  const status = runList(state, policy, parameter, facts, where, replyClass, null);
  applyDeferIfPermit(state, status);
  return verdictOf(state, where, null);
}

// With smtpd_delay_reject = yes: client, helo (if HELO was given) and, for RCPT and VRFY,
// sender (if MAIL was given) lists, each with the defer_if_permit of the stages before it.
// Answers 'reject' or the defer_if_permit that carries on.
function runDelayedLists(
  state: EvaluationState,
  policy: Policy,
  facts: RequestFacts,
  withSender: boolean,
): 'reject' | PendingDeferral | null {
  if (runClientList(state, policy, facts) === 'reject') return 'reject';
  let deferral = state.deferIfPermit;
  if (facts.helo !== null) {
    if (runHeloList(state, policy, facts, deferral) === 'reject') return 'reject';
    deferral = state.deferIfPermit;
  }
  if (withSender && facts.sender !== null) {
    if (runSenderList(state, policy, facts, deferral) === 'reject') return 'reject';
    deferral = state.deferIfPermit;
  }
  return deferral;
}

function runClientList(state: EvaluationState, policy: Policy, facts: RequestFacts): ListStatus {
  state.deferIfPermit = null;
  resetEvaluationState(state);
  return runList(state, policy, 'smtpd_client_restrictions', facts, null, 'Client host', 'check_client_access');
}

function runHeloList(state: EvaluationState, policy: Policy, facts: RequestFacts, deferral: PendingDeferral | null): ListStatus {
  state.deferIfPermit = deferral;
  resetEvaluationState(state);
  return runList(state, policy, 'smtpd_helo_restrictions', facts, facts.helo ?? '', 'Helo command', 'check_helo_access');
}

// The sender list, then smtpd_reject_unlisted_sender, as smtpd_check_mail() runs them.
function runSenderList(state: EvaluationState, policy: Policy, facts: RequestFacts, deferral: PendingDeferral | null): ListStatus {
  state.deferIfPermit = deferral;
  resetEvaluationState(state);
  const status = runList(state, policy, 'smtpd_sender_restrictions', facts, facts.sender ?? '', 'Sender address', 'check_sender_access');
  const sender = facts.sender;
  if (status === 'reject' || !policy.unlistedRecipient.implicitSender || state.discard || sender === null || sender === '') return status;
  const unlisted = unlistedSenderResult(sender, policy);
  if (unlisted.kind !== 'reject') return status;
  const origin = { restriction: 'smtpd_reject_unlisted_sender', parameter: 'smtpd_reject_unlisted_sender' };
  return rejectRequest(state, origin, unlisted.errorClass, unlisted.code, unlisted.enh, unlisted.text);
}

// The request is built only for a list that has steps: most lists of a policy are empty.
// replyName null: the client, as `name[address]`.
function runList(
  state: EvaluationState,
  policy: Policy,
  parameter: RestrictionListParameter,
  facts: RequestFacts,
  replyName: string | null,
  replyClass: ReplyClass,
  defaultAccess: string | null,
): ListStatus {
  const list = policy.restrictionLists[parameter];
  if (list.steps.length === 0) return 'dunno';
  const { session } = facts;
  const request: RestrictionRequest = {
    session,
    where: facts.where,
    helo: facts.helo,
    sender: facts.sender,
    recipient: facts.recipient,
    etrnDomain: facts.etrnDomain,
    replyName: replyName ?? `${session.clientName}[${session.clientAddress}]`,
    replyClass,
  };
  return evaluateRestrictions(state, policy, list, request, defaultAccess);
}

// Nothing refused, but a temporary problem may have hidden a reason to refuse: defer now.
function applyDeferIfPermit(state: EvaluationState, status: ListStatus): ListStatus {
  const deferral = state.deferIfPermit;
  if (status === 'reject' || deferral === null) return status;
  return rejectRequest(state, deferral, deferral.errorClass, deferral.code, deferral.enh, deferral.text);
}

function contextOf(facts: RequestFacts): LogContext {
  return { where: facts.where, sender: facts.sender, recipient: facts.recipient, helo: facts.helo };
}

function verdictOf(state: EvaluationState, stage: SmtpdStage, deferIfPermit: PendingDeferral | null): CheckVerdict {
  if (state.pendingDns !== null) return { kind: 'dns', stage, queries: state.pendingDns, deferIfPermit: null, events: [], sleepSeconds: 0 };
  const rejection = state.rejection;
  if (rejection === null) return { kind: 'dunno', stage, deferIfPermit, events: state.events, sleepSeconds: state.sleepSeconds };
  return {
    kind: 'reject',
    stage,
    deferIfPermit,
    events: state.events,
    sleepSeconds: state.sleepSeconds,
    reply: rejection.reply,
    errorClass: rejection.errorClass,
    restriction: rejection.restriction,
    parameter: rejection.parameter,
    logEvent: 'reject',
    context: state.context,
  };
}
