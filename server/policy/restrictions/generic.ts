/**
 * Generic restrictions (permit, reject, defer, defer_if_permit, defer_if_reject, sleep,
 * reject_plaintext_session): they judge nothing in particular and speak with the NAME and
 * CLASS of the list they sit in (spec/restrictions.md sections 8 and 10.1).
 * Exports: permit, reject, defer, deferIfPermit, deferIfReject, sleep, rejectPlaintextSession.
 * Reads: reject_code, defer_code, plaintext_reject_code.
 * warn_if_reject has no function: it marks the next step and lives in the evaluator.
 */
import type { Policy } from '../policy.ts';
import type { RestrictionRequest, RestrictionResult } from '../restriction.ts';

/** permit - PERMIT; the steps after it never run. */
export function permit(): RestrictionResult {
  return { kind: 'permit' };
}

/** reject - REJECT with reject_code: `<NAME>: CLASS rejected: Access denied`. */
export function reject(request: RestrictionRequest, policy: Policy): RestrictionResult {
  return {
    kind: 'reject',
    errorClass: 'policy',
    code: policy.replyCodes.reject_code,
    enh: '5.7.1',
    text: `<${request.replyName}>: ${request.replyClass} rejected: Access denied`,
  };
}

/** defer - temporary REJECT with defer_code: `Try again later`. */
export function defer(request: RestrictionRequest, policy: Policy): RestrictionResult {
  return {
    kind: 'reject',
    errorClass: 'policy',
    code: policy.replyCodes.defer_code,
    enh: '4.3.2',
    text: `<${request.replyName}>: ${request.replyClass} rejected: Try again later`,
  };
}

/** deferIfPermit - raise the defer_if_permit flag (450 4.7.0) and go on. */
export function deferIfPermit(request: RestrictionRequest): RestrictionResult {
  return {
    kind: 'defer_if_permit',
    errorClass: 'policy',
    code: 450,
    enh: '4.7.0',
    text: `<${request.replyName}>: ${request.replyClass} rejected: defer_if_permit requested`,
  };
}

/** deferIfReject - raise the defer_if_reject flag (450 4.7.0) and go on. */
export function deferIfReject(request: RestrictionRequest): RestrictionResult {
  return {
    kind: 'defer_if_reject',
    errorClass: 'policy',
    code: 450,
    enh: '4.7.0',
    text: `<${request.replyName}>: ${request.replyClass} rejected: defer_if_reject requested`,
  };
}

/** sleep - pause N seconds before going on; the compiler has checked that N is digits. */
export function sleep(_request: RestrictionRequest, _policy: Policy, argument: string | null): RestrictionResult {
  return { kind: 'sleep', seconds: Number(argument) };
}

/** rejectPlaintextSession - REJECT while TLS is not active; the reply names nothing. */
export function rejectPlaintextSession(request: RestrictionRequest, policy: Policy): RestrictionResult {
  if (request.session.tls) return { kind: 'dunno' };
  return {
    kind: 'reject',
    errorClass: 'policy',
    code: policy.replyCodes.plaintext_reject_code,
    enh: '4.7.1',
    text: 'Session encryption is required',
  };
}
