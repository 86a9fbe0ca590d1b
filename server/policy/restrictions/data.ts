/**
 * Restrictions meant for smtpd_data_restrictions: reject_unauth_pipelining and
 * reject_multi_recipient_bounce (spec/restrictions.md section 10.1). Elsewhere they judge
 * whatever the session holds so far.
 * Exports: rejectUnauthPipelining, rejectMultiRecipientBounce.
 * Reads: multi_recipient_bounce_reject_code.
 */
import type { Policy } from '../policy.ts';
import type { RestrictionRequest, RestrictionResult } from '../restriction.ts';

/** rejectUnauthPipelining - 503 5.5.0 once the client has talked ahead of the server. */
export function rejectUnauthPipelining(request: RestrictionRequest): RestrictionResult {
  if (!request.session.improperPipelining) return { kind: 'dunno' };
  return {
    kind: 'reject',
    errorClass: 'protocol',
    code: 503,
    enh: '5.5.0',
    text: `<${request.replyName}>: ${request.replyClass} rejected: Improper use of SMTP command pipelining`,
  };
}

/**
 * rejectMultiRecipientBounce - null sender with more than one recipient: at RCPT that is
 * any RCPT after an accepted one, elsewhere a count above one.
 */
export function rejectMultiRecipientBounce(request: RestrictionRequest, policy: Policy): RestrictionResult {
  const allowed = request.where === 'RCPT' ? 0 : 1;
  if (request.sender !== '' || request.session.recipientCount <= allowed) return { kind: 'dunno' };
  return {
    kind: 'reject',
    errorClass: 'policy',
    code: policy.replyCodes.multi_recipient_bounce_reject_code,
    enh: '5.5.3',
    text: `<${request.replyName}>: ${request.replyClass} rejected: Multi-recipient bounce`,
  };
}
