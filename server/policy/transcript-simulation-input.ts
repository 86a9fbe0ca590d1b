/**
 * A stored session transcript (SessionTranscript, server/notify/transcript-store.ts) as policy
 * simulator input: the client as the gateway knew it, and the HELO, MAIL FROM and RCPT TO the
 * client sent, read from the transcript's lines (the last MAIL FROM and the recipients after
 * it) and, where the kept lines miss them, from the row's envelope fields.
 * Exports: StoredTranscript, TranscriptSimulationInput, transcriptSimulationInput.
 * The SASL login name is never in a transcript (AUTH responses are not kept): a session that
 * logged in is reported in the notes and simulated without a login.
 */
import type { SimulationInput } from './simulate-session.ts';
import type { TranscriptLine } from '../smtp/session-transcript.ts';
import { extractAddress, parseAddressCommand } from '../smtp/address-syntax.ts';

/** StoredTranscript - the columns used, as Prisma returns them (JSON arrays as text). */
export interface StoredTranscript {
  readonly clientAddress: string;
  readonly clientName: string;
  readonly helo: string | null;
  readonly sender: string | null;
  readonly recipients: string; // JSON array of addresses
  readonly lines: string;      // JSON array of {at, dir, text}
}

export interface TranscriptSimulationInput {
  readonly input: SimulationInput;
  readonly notes: string[];    // what could not be taken from the transcript
}

/** transcriptSimulationInput - the session a transcript shows, ready for simulateSession(). */
export function transcriptSimulationInput(row: StoredTranscript): TranscriptSimulationInput {
  const notes: string[] = [];
  const lines = parseJsonArray<TranscriptLine>(row.lines);
  let helo: string | null = null;
  let protocol: 'SMTP' | 'ESMTP' = 'ESMTP';
  let sender: string | null = null;
  let recipients: string[] = [];
  let tls = false;
  let loggedIn = false;
  let startTls = false;
  for (const line of lines) {
    if (line.dir === 'out') {
      if (startTls && /^220[ -]/.test(line.text)) tls = true;
      if (/^235[ -]/.test(line.text)) loggedIn = true;
      startTls = false;
      continue;
    }
    const text = line.text.replace(/^[ \t]+/, '');
    const hello = /^(EHLO|HELO)[ \t]+(.+)$/i.exec(text);
    if (hello) {
      protocol = hello[1].toUpperCase() === 'EHLO' ? 'ESMTP' : 'SMTP';
      helo = hello[2].trim();
      continue;
    }
    startTls = /^STARTTLS$/i.test(text.trim());
    const verb = /^(MAIL|RCPT)[ \t]+/i.exec(text);
    if (!verb) continue;
    const command = parseAddressCommand(text.slice(verb[0].length), verb[1].toUpperCase() === 'MAIL' ? 'FROM' : 'TO');
    if (!command.ok) continue;
    const address = extractAddress(command.addressWord, { strict: false, allowEmpty: verb[1].toUpperCase() === 'MAIL', smtputf8: true });
    if (!address.ok) continue;
    if (verb[1].toUpperCase() === 'MAIL') {
      sender = address.address;
      recipients = [];
    } else {
      recipients.push(address.address);
    }
  }
  if (helo === null && row.helo !== null) helo = row.helo;
  if (sender === null && row.sender !== null) {
    sender = row.sender;
    notes.push('MAIL FROM taken from the stored envelope: the command itself is not among the kept lines');
  }
  if (recipients.length === 0) {
    recipients = parseJsonArray<string>(row.recipients);
    if (recipients.length) notes.push('RCPT TO taken from the stored envelope: the commands themselves are not among the kept lines');
  }
  if (loggedIn) notes.push('the client logged in with AUTH; the login name is not kept in transcripts, so the simulation runs without it');
  return {
    input: { clientAddress: row.clientAddress, clientName: row.clientName, helo, protocol, sender, recipients, tls, saslUsername: null },
    notes,
  };
}

function parseJsonArray<T>(text: string): T[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}
