/**
 * The delivery half of a conformance case (harness README, "Delivery"): what reached the capture
 * sink, the gateway's next hop, and how it compares with what Postfix forwarded. A message counts
 * when its header block contains the case's marker (its Message-ID); the comparison is envelope
 * sender, recipient set and header lines, leaving out the headers a transport adds (Received,
 * Return-Path, X-Original-To, Delivered-To). Order of messages, recipients and headers is free.
 * Exports ExpectedDelivery, observeDelivery, compareDelivery.
 */
import type { SmtpSink, SinkMessage } from '../support/smtp-sink.ts';

/** One message as the harness records it: folded header lines joined with \n, as received. */
export interface ExpectedDelivery {
  from: string; // MAIL FROM address, '' for <>
  rcpt: string[]; // RCPT TO addresses
  headers: string[]; // header lines, each with its continuation lines
}

// Headers that depend on the transport and the moment, not on policy.
const TRANSPORT_HEADER = /^(received|return-path|x-original-to|delivered-to):/i;

/**
 * observeDelivery - the sink's messages carrying the marker, once `expected` of them arrived (and
 * a little longer, in case of more) or wait_ms passed; HOLD and DISCARD expect none, so they wait
 * the whole window to be sure nothing comes.
 */
export async function observeDelivery(sink: SmtpSink, marker: string, waitMs: number, expected: number): Promise<ExpectedDelivery[]> {
  const deadline = Date.now() + waitMs;
  const found = () => sink.messages.map(summarizeMessage).filter((m) => m.headers.some((h) => h.includes(marker)));
  while (Date.now() < deadline) {
    if (expected > 0 && found().length >= expected) {
      await new Promise((r) => setTimeout(r, 300));
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return found().map((m) => ({ ...m, headers: m.headers.filter((h) => !TRANSPORT_HEADER.test(h)) }));
}

/** compareDelivery - one problem line when what arrived is not what Postfix forwarded, else []. */
export function compareDelivery(expected: ExpectedDelivery[], got: ExpectedDelivery[]): string[] {
  const a = normalize(expected);
  const b = normalize(got);
  return a === b ? [] : [`delivery: expected ${a}, got ${b}`];
}

// The header block split into lines that keep their folded continuations, as the harness's sink does.
function summarizeMessage(m: SinkMessage): ExpectedDelivery {
  const text = m.content.replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  const head = end >= 0 ? text.slice(0, end) : text;
  return { from: m.sender, rcpt: m.recipients, headers: head.split(/\n(?![ \t])/).filter(Boolean) };
}

function normalize(list: ExpectedDelivery[]): string {
  return JSON.stringify(list
    .map((d) => ({ from: d.from, rcpt: [...d.rcpt].sort(), headers: [...d.headers].sort() }))
    .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))));
}
