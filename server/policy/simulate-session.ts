/**
 * The policy simulator: one SMTP session played against the live stored policy or a draft,
 * without a socket, stage by stage as the gateway's front plays it (server/smtp/commands):
 * connect (smtpd_client_restrictions with smtpd_delay_reject = no), HELO/EHLO, MAIL FROM, each
 * RCPT TO (with smtpd_delay_reject = yes the client, HELO and sender lists run here, as in
 * Postfix), DATA and the end of data. Each stage runs the gateway's own check function
 * (smtpd-check.ts) on a snapshot built as the gateway builds it (simulation-snapshot.ts), with
 * a trace recorder (simulation-trace.ts) on the session, and fetches DNS answers through the
 * snapshot's resolver (dns_resolvers, dns_timeout) the way the front's decide() does: a
 * restriction that needs an answer stops, the answers are fetched, the check runs again.
 * Each stage reports every list and step evaluated, the decision, the reply the client would
 * get (soft_bounce and smtpd_reject_footer applied, as on the wire) and the maillog lines.
 * Exports: SimulationInput, SimulatedStage, StageDecision, SimulatedClient, SimulationResult,
 * SIMULATED_QUEUE_ID, simulateSession, simulateOnSnapshot.
 * Reads: smtpd_delay_reject (through the checks), smtpd_peername_lookup, smtpd_helo_required,
 * strict_rfc821_envelopes, smtpd_banner, myhostname, soft_bounce, smtpd_reject_footer.
 * Writes nothing and never waits for `sleep N` steps (their seconds are reported).
 * XXX header_checks and body_checks are not simulated: there is no message content; the
 * end-of-data stage runs smtpd_end_of_data_restrictions only. Recipient limits, SIZE and
 * queue space are not simulated either.
 */
import net from 'node:net';
import {
  checkClient,
  checkData,
  checkEod,
  checkHelo,
  checkMail,
  checkRcpt,
  type CheckVerdict,
  type PendingDeferral,
  type SmtpdCheckSession,
} from './smtpd-check.ts';
import type { SmtpdStage } from './smtpd-stage.ts';
import type { Reply } from './reply.ts';
import type { DnsAnswers } from './dns-answers.ts';
import type { LogContext } from './policy-log-event.ts';
import { SimulationTrace, describeDnsAnswer, type TracedDns, type TracedList, type TracedLookup } from './simulation-trace.ts';
import { buildSimulationSnapshot, type LookupListener, type SimulationPolicy } from './simulation-snapshot.ts';
import { SessionDnsAnswers } from '../dns/session-dns-answers.ts';
import { lookupClientName } from '../dns/client-name.ts';
import { unmapIpv4Address } from '../net/ip-address.ts';
import { extractAddress } from '../smtp/address-syntax.ts';
import { resolveAddress } from './resolve-address.ts';
import { formatReply as formatWireReply, softBounceReply } from '../smtp/reply-wire.ts';
import type { SmtpdSnapshot } from '../smtp/smtpd-snapshot.ts';
import { formatWhatsup } from '../log/smtpd-whatsup.ts';

export interface SimulationInput {
  readonly clientAddress: string;              // IPv4 or IPv6
  readonly clientName?: string | null;         // verified name or `unknown`; null or absent: looked up as the gateway does
  readonly helo?: string | null;               // HELO/EHLO argument; null: the client sends none
  readonly protocol?: 'SMTP' | 'ESMTP';        // HELO or EHLO; ESMTP unless told
  readonly sender?: string | null;             // MAIL FROM address ('' the null sender); null: no MAIL
  readonly recipients?: readonly string[];     // RCPT TO addresses, in order
  readonly saslUsername?: string | null;       // logged in with AUTH as this name
  readonly tls?: boolean;                      // STARTTLS done
}

/** StageDecision - what gave a stage its reject. */
export interface StageDecision {
  readonly restriction: string;   // as written, or smtpd_reject_unlisted_recipient/_sender
  readonly parameter: string;     // the list or class holding it
  // step: a step refused; defer_if_permit: a raised defer_if_permit answered at the end of
  // the request; implicit: smtpd_reject_unlisted_*
  readonly how: 'step' | 'defer_if_permit' | 'implicit';
}

export interface SimulatedStage {
  stage: SmtpdStage;
  command: string | null;         // what the client sent; null at connect
  lists: TracedList[];            // every list evaluated, in order, with its steps
  lookups: TracedLookup[];        // table lookups outside any step (smtpd_reject_unlisted_*)
  dnsQueries: TracedDns[];        // DNS queries this stage fetched, in order (answers kept for later stages)
  note: string | null;            // why nothing (or not everything) was evaluated here
  decision: StageDecision | null; // null unless a restriction refused (the front's own refusals say why in `note`)
  accepted: boolean;              // 2xx or 3xx reply
  reply: Reply;                   // as sent (soft_bounce applied)
  replyLines: string[];           // the reply on the wire, without CRLF
  logLines: string[];             // maillog lines (text after `smtpd[pid]: `), warnings as `warning: ...`
  sleepSeconds: number;           // `sleep N` steps passed (the gateway would wait this long)
}

export interface SimulatedClient {
  address: string;
  name: string;                   // verified name or `unknown`
  reverseName: string;            // PTR name or `unknown`
  nameStatus: 'ok' | 'notfound' | 'forged' | 'retry';
  lookedUp: boolean;              // the name came from the snapshot's name service, not from the input
  warning: string | null;         // the lookup's warning (forged name, numeric PTR ...)
}

export type SimulationResult =
  | {
      ok: true;
      revision: number;           // stored revision simulated (a draft's base)
      draft: boolean;
      client: SimulatedClient;
      stages: SimulatedStage[];
      problems: string[];         // what saving the draft would be refused for, and compiler warnings
    }
  | { ok: false; errors: string[]; problems: string[] };

/** SIMULATED_QUEUE_ID - stands for the queue ID the first accepted recipient would create. */
export const SIMULATED_QUEUE_ID = 'QUEUEID';

const MAX_DNS_ROUNDS = 200; // as the front: only stops a bug

/** simulateSession - play a session against the data folder's live policy or a draft over it. */
export async function simulateSession(
  dataDir: string, input: SimulationInput, policy: SimulationPolicy = { kind: 'live' },
): Promise<SimulationResult> {
  const inputErrors = checkInput(input);
  if (inputErrors.length) return { ok: false, errors: inputErrors, problems: [] };
  const listener: LookupListener = { current: null };
  const built = buildSimulationSnapshot(dataDir, policy, listener);
  if (!built.ok) return { ok: false, errors: built.errors, problems: built.problems };
  const played = await simulateOnSnapshot(built.snapshot, input, listener);
  return { ok: true, revision: built.revision, draft: policy.kind === 'draft', ...played, problems: built.problems };
}

/**
 * simulateOnSnapshot - play a session against a snapshot; table lookups are traced when its
 * tables report to `listener` (buildSimulationSnapshot builds them so).
 */
export async function simulateOnSnapshot(
  snapshot: SmtpdSnapshot, input: SimulationInput, listener: LookupListener = { current: null },
): Promise<{ client: SimulatedClient; stages: SimulatedStage[] }> {
  const settings = snapshot.settings;
  const policy = snapshot.policy;
  const client = await identifyClient(snapshot, input);
  const answers = new SessionDnsAnswers();
  let recording: SimulationTrace | null = null;
  const dns: DnsAnswers = {
    get(type, name) {
      const answer = answers.get(type, name);
      if (answer !== undefined) recording?.noteDns(type, name, answer);
      return answer;
    },
  };

  // Session state, as the front keeps it (server/smtp/session.ts).
  let protocol: 'SMTP' | 'ESMTP' = 'SMTP';
  let helo: string | null = null;
  let deferIfPermitClient: PendingDeferral | null = null;
  let deferIfPermitHelo: PendingDeferral | null = null;
  let transaction: { sender: string; recipients: string[]; deferIfPermitSender: PendingDeferral | null } | null = null;
  let queueId: string | null = null;
  let accessDenied = false;
  const clientLog = `${client.name}[${client.address}]`;

  const facts = (): SmtpdCheckSession => ({
    clientAddress: client.address,
    clientName: client.name,
    reverseClientName: client.reverseName,
    clientNameStatus: client.nameStatus,
    reverseNameStatus: client.reverseNameStatus,
    dns,
    clientCertificate: null,
    clientPort: 0,
    helo,
    protocol,
    saslUsername: input.saslUsername ?? null,
    improperPipelining: false,
    tls: input.tls ?? false,
    sender: transaction ? transaction.sender : null,
    recipientCount: transaction ? transaction.recipients.length : 0,
    recipient: transaction && transaction.recipients.length ? transaction.recipients[0] : null,
    deferIfPermitClient,
    deferIfPermitHelo,
    deferIfPermitSender: transaction ? transaction.deferIfPermitSender : null,
  });

  // The front's decide(): run, fetch what the check asks for, run again; the last run is the one recorded.
  const decide = async (check: (s: SmtpdCheckSession) => CheckVerdict) => {
    const dnsQueries: TracedDns[] = [];
    for (let round = 0; ; round++) {
      const trace = new SimulationTrace();
      recording = trace;
      listener.current = trace;
      let verdict: CheckVerdict;
      try {
        verdict = check({ ...facts(), trace });
      } finally {
        recording = null;
        listener.current = null;
      }
      if (verdict.kind !== 'dns') return { verdict, trace, dnsQueries };
      if (round >= MAX_DNS_ROUNDS) throw new Error(`policy check asked for DNS more than ${MAX_DNS_ROUNDS} times`);
      await answers.fetch(verdict.queries, snapshot.resolver);
      for (const q of verdict.queries) dnsQueries.push(describeDnsAnswer(q.type, q.name, answers.get(q.type, q.name)!));
    }
  };

  // The front's logWhatsup(): soft_bounce shows in the logged code too.
  const whatsup = (action: string, context: LogContext, r: Reply): string => {
    const reply = settings.softBounce ? softBounceReply(r) : r;
    const withCode = action === 'reject' || action === 'reject_warning';
    const text = withCode ? `${reply.code}${reply.enh ? ' ' + reply.enh : ''} ${reply.text}` : r.text;
    return formatWhatsup({
      queueId, action, where: context.where, client: clientLog, text,
      sender: context.sender, recipient: context.recipient, protocol, helo: context.helo,
    });
  };

  const stages: SimulatedStage[] = [];
  const stageOf = (stage: SmtpdStage, command: string | null, reply: Reply, extra: Partial<SimulatedStage> = {}): SimulatedStage => {
    const wire = formatWireReply(reply, { softBounce: settings.softBounce, footer: settings.smtpdRejectFooter });
    const sent = settings.softBounce ? softBounceReply(reply) : reply;
    const done: SimulatedStage = {
      stage, command, lists: [], lookups: [], dnsQueries: [], note: null, decision: null,
      accepted: sent.code < 400, reply: sent, replyLines: wire.split('\r\n').filter((l) => l !== ''),
      logLines: [], sleepSeconds: 0, ...extra,
    };
    stages.push(done);
    return done;
  };

  // The front's enforce(): log the events, then the reject; answer the reply to send, or null.
  const judge = async (stage: SmtpdStage, command: string | null, check: (s: SmtpdCheckSession) => CheckVerdict, ok: Reply) => {
    const { verdict, trace, dnsQueries } = await decide(check);
    const logLines: string[] = [];
    for (const e of verdict.events) {
      if (e.kind === 'warning') logLines.push(`warning: ${e.text}`);
      else if (e.kind === 'reject_warning') logLines.push(whatsup('reject_warning', e.context, e.reply));
      else if (e.kind === 'action') {
        if (e.action.verb !== 'prepend') logLines.push(whatsup(e.action.verb, e.context, { code: 250, enh: null, text: e.action.logText }));
      } else logLines.push(whatsup('permit', e.context, { code: 250, enh: null, text: e.text }));
    }
    let decision: StageDecision | null = null;
    if (verdict.kind === 'reject') {
      logLines.push(whatsup('reject', verdict.context, verdict.reply));
      const how = trace.decidedStep() !== null ? 'step'
        : verdict.parameter.startsWith('smtpd_reject_unlisted_') ? 'implicit' : 'defer_if_permit';
      decision = { restriction: verdict.restriction, parameter: verdict.parameter, how };
    }
    const reply = verdict.kind === 'reject' ? verdict.reply : ok;
    const result = stageOf(stage, command, reply, {
      lists: trace.lists, lookups: trace.lookups, dnsQueries, decision, logLines, sleepSeconds: verdict.sleepSeconds,
    });
    if (trace.lists.length === 0) result.note = 'no restriction list has steps here';
    return { verdict, stage: result };
  };

  const refusedBySession = (stage: SmtpdStage, command: string, reply: Reply, note: string): void => {
    stageOf(stage, command, reply, { note });
  };

  // Connect.
  const banner: Reply = { code: 220, enh: null, text: settings.smtpdBanner };
  const connect = await judge('CONNECT', null, (s) => checkClient(policy, s), banner);
  deferIfPermitClient = connect.verdict.deferIfPermit;
  if (connect.verdict.kind === 'reject') accessDenied = true;
  if (policy.smtpdDelayReject) connect.stage.note = 'smtpd_delay_reject = yes: smtpd_client_restrictions run at each RCPT TO';
  const denied = (): Reply => ({ code: 503, enh: '5.7.0', text: `Error: access denied for ${clientLog}` });

  // HELO or EHLO.
  if (input.helo !== undefined && input.helo !== null) {
    const verb = (input.protocol ?? 'ESMTP') === 'ESMTP' ? 'EHLO' : 'HELO';
    const command = `${verb} ${input.helo}`;
    if (accessDenied) {
      refusedBySession(verb, command, denied(), 'the connect-time restrictions refused this client');
    } else if (input.helo.trim() === '') {
      refusedBySession(verb, command, { code: 501, enh: null, text: `Syntax: ${verb} hostname` }, 'no hostname given');
    } else {
      protocol = verb === 'EHLO' ? 'ESMTP' : 'SMTP';
      helo = input.helo.trim().split(/[ \t]+/).join(' ').replace(/[^\x20-\x7e\u0080-\uffff]/g, '?');
      const judged = await judge(verb, command, (s) => checkHelo(policy, s), { code: 250, enh: null, text: settings.myhostname });
      deferIfPermitHelo = judged.verdict.deferIfPermit;
      if (judged.verdict.kind === 'reject') helo = null;
      if (policy.smtpdDelayReject) judged.stage.note = 'smtpd_delay_reject = yes: smtpd_helo_restrictions run at each RCPT TO';
    }
  }

  const checkedAddress = (word: string, allowEmpty: boolean) => {
    const a = extractAddress(word, { strict: settings.strictRfc821Envelopes, allowEmpty, smtputf8: settings.smtputf8Enable });
    return a.ok && a.address !== '' && resolveAddress(a.address, policy.addressResolution).error ? { ok: false as const } : a;
  };

  // MAIL FROM.
  if (input.sender === undefined || input.sender === null) return { client: describeClient(client), stages };
  const mailCommand = `MAIL FROM:<${input.sender}>`;
  // As a client that asks for SMTPUTF8 when the gateway offers it; an address that resolves to
  // no valid domain is bad syntax, as the gateway's MAIL and RCPT commands judge it.
  const sender = checkedAddress(`<${input.sender}>`, true);
  if (accessDenied) {
    refusedBySession('MAIL', mailCommand, denied(), 'the connect-time restrictions refused this client');
  } else if (settings.smtpdHeloRequired && helo === null) {
    refusedBySession('MAIL', mailCommand, { code: 503, enh: '5.5.1', text: 'Error: send HELO/EHLO first' }, 'smtpd_helo_required = yes');
  } else if (!sender.ok) {
    const s = stageOf('MAIL', mailCommand, { code: 501, enh: '5.1.7', text: 'Bad sender address syntax' }, { note: 'address syntax' });
    s.logLines.push(`warning: Illegal address syntax from ${clientLog} in MAIL command: <${input.sender}>`);
  } else {
    transaction = { sender: sender.address, recipients: [], deferIfPermitSender: null };
    const judged = await judge('MAIL', mailCommand, (s) => checkMail(policy, s), { code: 250, enh: '2.1.0', text: 'Ok' });
    transaction.deferIfPermitSender = judged.verdict.deferIfPermit;
    if (judged.verdict.kind === 'reject') transaction = null;
    if (policy.smtpdDelayReject) judged.stage.note = 'smtpd_delay_reject = yes: smtpd_sender_restrictions run at each RCPT TO';
  }

  // RCPT TO, each.
  const recipients = input.recipients ?? [];
  for (const recipient of recipients) {
    const command = `RCPT TO:<${recipient}>`;
    const address = checkedAddress(`<${recipient}>`, false);
    if (accessDenied) {
      refusedBySession('RCPT', command, denied(), 'the connect-time restrictions refused this client');
    } else if (transaction === null) {
      refusedBySession('RCPT', command, { code: 503, enh: '5.5.1', text: 'Error: need MAIL command' }, 'no mail transaction is open');
    } else if (!address.ok) {
      const s = stageOf('RCPT', command, { code: 501, enh: '5.1.3', text: 'Bad recipient address syntax' }, { note: 'address syntax' });
      s.logLines.push(`warning: Illegal address syntax from ${clientLog} in RCPT command: <${recipient}>`);
    } else {
      const judged = await judge('RCPT', command, (s) => checkRcpt(policy, s, address.address), { code: 250, enh: '2.1.5', text: 'Ok' });
      if (judged.verdict.kind !== 'reject') {
        transaction.recipients.push(address.address);
        queueId ??= SIMULATED_QUEUE_ID;
      }
    }
  }

  // DATA and the end of data: only a client with recipients goes on.
  if (recipients.length === 0) return { client: describeClient(client), stages };
  if (accessDenied) {
    refusedBySession('DATA', 'DATA', denied(), 'the connect-time restrictions refused this client');
    return { client: describeClient(client), stages };
  }
  if (transaction === null) {
    refusedBySession('DATA', 'DATA', { code: 503, enh: '5.5.1', text: 'Error: need RCPT command' }, 'no mail transaction is open');
    return { client: describeClient(client), stages };
  }
  if (transaction.recipients.length === 0) {
    refusedBySession('DATA', 'DATA', { code: 554, enh: '5.5.1', text: 'Error: no valid recipients' }, 'every recipient was refused');
    return { client: describeClient(client), stages };
  }
  const data = await judge('DATA', 'DATA', (s) => checkData(policy, s), { code: 354, enh: null, text: 'End data with <CR><LF>.<CR><LF>' });
  if (data.verdict.kind === 'reject') return { client: describeClient(client), stages };
  const eod = await judge('END-OF-MESSAGE', '.', (s) => checkEod(policy, s), { code: 250, enh: '2.0.0', text: `Ok: queued as ${SIMULATED_QUEUE_ID}` });
  const noContent = 'header_checks and body_checks are not simulated (no message content)';
  eod.stage.note = eod.stage.note === null ? noContent : `${eod.stage.note}; ${noContent}`;
  return { client: describeClient(client), stages };
}

interface ClientFacts {
  address: string;
  name: string;
  reverseName: string;
  nameStatus: 'ok' | 'notfound' | 'forged' | 'retry';
  reverseNameStatus: 'ok' | 'notfound' | 'retry';
  lookedUp: boolean;
  warning: string | null;
}

// The client as the front knows it after connect: the name given, or looked up as start() does.
async function identifyClient(snapshot: SmtpdSnapshot, input: SimulationInput): Promise<ClientFacts> {
  const address = unmapIpv4Address(input.clientAddress.trim()).toLowerCase();
  const given = input.clientName?.trim().toLowerCase().replace(/\.$/, '');
  if (given !== undefined && given !== '') {
    const known = given !== 'unknown';
    return {
      address, name: given, reverseName: given, nameStatus: known ? 'ok' : 'notfound', reverseNameStatus: known ? 'ok' : 'notfound',
      lookedUp: false, warning: null,
    };
  }
  if (!snapshot.settings.smtpdPeernameLookup) {
    return { address, name: 'unknown', reverseName: 'unknown', nameStatus: 'notfound', reverseNameStatus: 'notfound', lookedUp: false, warning: null };
  }
  const r = await lookupClientName(snapshot.hostLookup, address);
  return { address, ...r, lookedUp: true, warning: r.warning ?? null };
}

function describeClient(c: ClientFacts): SimulatedClient {
  return { address: c.address, name: c.name, reverseName: c.reverseName, nameStatus: c.nameStatus, lookedUp: c.lookedUp, warning: c.warning };
}

function checkInput(input: SimulationInput): string[] {
  const errors: string[] = [];
  if (net.isIP(input.clientAddress.trim().replace(/^ipv6:/i, '')) === 0) errors.push(`client address: not an IP address: "${input.clientAddress}"`);
  const name = input.clientName?.trim() ?? '';
  if (name !== '' && !/^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/.test(name)) {
    errors.push(`client hostname: not a host name: "${name}"`);
  }
  return errors;
}
