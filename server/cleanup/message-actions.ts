/**
 * What the policy decided to do with a whole message besides accepting it: the delegated
 * actions of access tables (HOLD, DISCARD, REDIRECT, FILTER, BCC, PREPEND, spec/access-maps.md
 * section 3.3) and of header and body checks (spec/header-body-checks.md), collected over a
 * mail transaction and carried out when the message is stored.
 * Exports: MessageActions, createMessageActions, envelopeAttributes.
 * The last REDIRECT and the last FILTER win; HOLD and DISCARD keep their first reason.
 */

export interface MessageActions {
  hold: string | null;      // reason: the message goes to the hold queue
  discard: string | null;   // reason: accepted (250), then dropped with a log line
  redirect: string | null;  // replaces all recipients
  filter: string | null;    // transport:destination for the content filter
  bcc: string[];            // blind copy recipients
  prepend: string[];        // header lines added above the gateway's Received: header, in order
}

/** createMessageActions - nothing decided yet. */
export function createMessageActions(): MessageActions {
  return { hold: null, discard: null, redirect: null, filter: null, bcc: [], prepend: [] };
}

/** envelopeAttributes - the queue file attributes that carry the actions to delivery. */
export function envelopeAttributes(actions: MessageActions): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (actions.hold !== null) attributes.hold = actions.hold;
  if (actions.redirect !== null) attributes.redirect = actions.redirect;
  if (actions.filter !== null) attributes.filter = actions.filter;
  if (actions.bcc.length) attributes.bcc = actions.bcc.join(',');
  return attributes;
}
