/**
 * One SMTP session with Postfix's semantics on top of smtp-server's SMTPConnection, which keeps
 * the socket, STARTTLS and the connection lifecycle. Everything Postfix decides differently
 * from smtp-server is decided here and in ./commands (spec/protocol.md §14): the wire parser
 * (./smtpd-stream.ts), the command loop of smtpd.c (forbidden and header-like commands, junk
 * commands, improper pipelining, error counting with tarpit and the hard limit), greeting,
 * timeouts and the connect/disconnect log lines. Every line in and out goes to the session's
 * bounded transcript (./session-transcript.ts), handed to services.violation at the end when the
 * client earned a notify class.
 * Reads: every smtpd_* parameter through SmtpdSettings. Logs: connect, disconnect,
 * lost connection, timeout, too many errors, non-SMTP command, request longer than N.
 * A client that half-closes is answered up to its last command before the session ends.
 * The anvil limits of the session (./client-event-limits.ts) are counted at connect and end.
 */
import type net from 'node:net';
import type tls from 'node:tls';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import type { SMTPServer } from 'smtp-server';
import type { Reply } from '../policy/reply.ts';
import { checkClient, type CheckVerdict, type SmtpdCheckSession } from '../policy/smtpd-check.ts';
import type { MessageAction } from '../policy/restriction.ts';
import { SessionDnsAnswers } from '../dns/session-dns-answers.ts';
import type { LogContext } from '../policy/policy-log-event.ts';
import { lookupClientName } from '../dns/client-name.ts';
import { matchNetworkList } from '../policy/network-list.ts';
import { unmapIpv4Address } from '../net/ip-address.ts';
import { formatWhatsup } from '../log/smtpd-whatsup.ts';
import type { EventCode } from '../log/event-codes.ts';
import { COMMAND_TABLE, COMMAND_ORDER, type CommandResult } from './command-table.ts';
import { formatReply } from './reply-wire.ts';
import { newSession, clientText, type SmtpdSession, type ClientIdentity } from './session.ts';
import { SmtpdStream, type CommandLine, type DataSink } from './smtpd-stream.ts';
import type { SmtpdSnapshot } from './smtpd-snapshot.ts';
import type { SmtpdSettings } from './smtpd-settings.ts';
import type { SmtpFrontServices } from './smtp-front-services.ts';
import { SessionTranscript } from './session-transcript.ts';
import { connectToAnvil, disconnectFromAnvil } from './client-event-limits.ts';

const HEADER_LIKE = /^[!-9;-~]+:/;

/** PolicyDecision - a verdict that needs nothing more: accept (dunno) or reject. */
export type PolicyDecision = Exclude<CheckVerdict, { kind: 'dns' }>;

const MAX_DNS_ROUNDS = 200;

export class SmtpdConnection extends SMTPConnection {
  private readonly dnsAnswers = new SessionDnsAnswers(); // what this session's restrictions asked
  readonly transcript = new SessionTranscript();        // lines in and out, notify classes earned
  // Class fields are assigned after SMTPConnection's constructor, which already calls
  // _createParser(); nothing that runs there may rely on them.
  services!: SmtpFrontServices;        // queue, maillog, snapshot source, ETRN hook
  snapshot!: SmtpdSnapshot;            // pinned; re-pinned only between transactions
  pfx!: SmtpdSession;                  // Postfix session state (smtp-server keeps its own in `session`)
  private started = false;             // banner (or connect-time reject) sent
  private earlyInput = false;          // client talked before the banner
  private readyWaiters: Array<() => void> = [];
  busy = false;                        // a command or the end of a message is being handled: no idle timeout
  private finished = false;            // disconnect logged
  private abortReason: 'timeout' | 'lost connection' | 'too many errors' | null = null;
  private closedByServer = false;      // we ended the session (QUIT, 421, 221 2.7.0...): not a lost connection
  private lineHandler: ((line: string) => Promise<void>) | null = null; // AUTH continuation lines
  private anvilIdent: string | null = null; // counted by anvil at connect; told once at the end

  /** smtpdParser - the wire parser, typed as ours. */
  get smtpdParser(): SmtpdStream {
    return this._parser as unknown as SmtpdStream;
  }

  override _createParser(): never {
    const parser = new SmtpdStream(2048);
    parser.oncommand = (cmd) => this.onCommandLine(cmd);
    parser.on('error', () => this.close());
    parser.on('finish', () => {
      if (this._parser === (parser as unknown)) this.onInputEnd();
    });
    return parser as never;
  }

  /**
   * onInputEnd - the client closed its side and every command it sent before has been
   * answered: only now is it gone, as Postfix meets EOF at its next read. Ending our side
   * sends what is still buffered; the close then logs `lost connection after CMD` unless the
   * session was already over.
   */
  private onInputEnd(): void {
    if (this._closing || this._closed) return;
    this._socket.end();
  }

  override init(): void {
    this.services = (this._server as SMTPServer & { services: SmtpFrontServices }).services;
    this.snapshot = this.services.snapshot();
    this.smtpdParser.lineLengthLimit = this.snapshot.settings.lineLengthLimit;
    this._setListeners(() => {
      this.start().catch((err: Error) => this.fail(err));
    });
  }

  override _armTimeout(socket: net.Socket = this._socket): void {
    const ms = this.snapshot?.settings.smtpdTimeoutMs ?? 300_000;
    socket.setTimeout(ms, () => this._onTimeout());
  }

  /** start - client name lookup, connect log line, connect-time restrictions, then the banner. */
  private async start(): Promise<void> {
    const s = this.snapshot.settings;
    const address = unmapIpv4Address(this.remoteAddress);
    let client: ClientIdentity = {
      address, port: this.remotePort, name: 'unknown', reverseName: 'unknown', nameStatus: 'notfound', reverseNameStatus: 'notfound',
    };
    if (s.smtpdPeernameLookup && !this.services.standalone) {
      const { warning, ...identity } = await lookupClientName(this.snapshot.hostLookup, address);
      client = { ...client, ...identity };
      // Before the connect line, as smtpd_peer.c logs it: a forged or unresolvable PTR name.
      if (warning !== undefined) this.log('SMTPD_WARNING', warning, 'warning');
    }
    if (this._closed || this._closing) return;
    this.pfx = newSession(client);
    this.log('SMTPD_CONNECT', `connect from ${this.clientLogText()}`);
    if (this.earlyInput) this.pfx.improperPipelining = true;
    const anvil = connectToAnvil(this);
    this.anvilIdent = anvil.ident;
    // Over a connection limit: the 421 replaces the banner (and closes), as in smtpd_proto().
    if (anvil.refusal) await this.reply(anvil.refusal);
    else await this.greet();
    this.started = true;
    for (const w of this.readyWaiters.splice(0)) w();
  }

  /** greet - connect-time restrictions (smtpd_delay_reject = no), then the banner or the reject. */
  async greet(): Promise<void> {
    if (!this.services.standalone) {
      const verdict = await this.decide((session) => checkClient(this.snapshot.policy, session));
      this.pfx.deferIfPermitClient = verdict.deferIfPermit;
      const refused = await this.enforce(verdict);
      if (refused) {
        this.pfx.accessDenied = true;
        await this.reply(refused);
        return;
      }
    }
    this.pfx.accessDenied = false;
    await this.reply({ code: 220, enh: null, text: this.snapshot.settings.smtpdBanner });
  }

  /** onCommandLine - Postfix's command loop for one line (smtpd.c, smtpd_proto()). */
  private async onCommandLine(cmd: CommandLine): Promise<void> {
    if (!this.started) {
      // Talking before the greeting is only flagged (spec/protocol.md §1.4).
      this.earlyInput = true;
      await new Promise<void>((resolve) => this.readyWaiters.push(resolve));
    }
    if (this._closing || this._closed) return;
    this.busy = true;
    try {
      await this.command(cmd);
    } finally {
      this.busy = false;
    }
  }

  private async command(cmd: CommandLine): Promise<void> {
    const s = this.snapshot.settings;
    const session = this.pfx;
    const utf8 = isValidUtf8(cmd.line);
    const text = utf8 ? cmd.line.toString('utf8') : cmd.line.toString('latin1');
    // AUTH secrets never reach the transcript (an AUTH line keeps its verb and mechanism).
    this.transcript.add('in', this.lineHandler ? '(AUTH response not shown)' : text.replace(/^(\s*AUTH\s+\S+)\s.*$/i, '$1 ...'));
    if (this.lineHandler) {
      // A response inside an exchange (AUTH), not a command: no command checks apply.
      const handler = this.lineHandler;
      this.lineHandler = null;
      await handler(text);
      return;
    }
    if (cmd.truncated) {
      this.log('SMTPD_REQUEST_TOO_LONG', `${this.clientLogText()}: request longer than ${s.lineLengthLimit}: ${text.slice(0, 100)}...`, 'warning');
    }
    if (cmd.bareLf && this.bareNewlineMode() === 'reject') {
      // Postfix logs the stage before this command: `NOQUEUE: reject: CONNECT from ...`.
      this.logWhatsup('reject', { where: session.where, sender: null, recipient: null, helo: session.helo }, { code: 0, enh: null, text: 'bare <LF> received' }, true, 'smtpd_forbid_bare_newline');
      await this.reply({ code: s.smtpdForbidBareNewlineRejectCode, enh: '5.5.2', text: `${s.myhostname} Error: bare <LF> received` });
      this.close();
      return;
    }
    if (!utf8 && s.smtputf8Enable) {
      await this.reply({ code: 500, enh: '5.5.2', text: 'Error: bad UTF-8 syntax' });
      await this.afterCommand('unknown', 'error');
      return;
    }
    // Blanks before the verb are skipped, as Postfix's tokenizer does.
    const line = text.replace(/^[ \t]+/, '');
    const space = line.search(/[ \t]/);
    const verbText = space < 0 ? line : line.slice(0, space);
    const args = space < 0 ? '' : line.slice(space + 1).replace(/^[ \t]+/, '');
    const verb = verbText.toUpperCase();
    if (verb === '') {
      session.where = 'UNKNOWN';
      await this.reply({ code: 500, enh: '5.5.2', text: 'Error: bad syntax' });
      await this.afterCommand('unknown', 'error');
      return;
    }
    if (this.isForbidden(verb)) {
      this.log('SMTPD_NON_SMTP_COMMAND', `non-SMTP command from ${this.clientLogText()}: ${text.slice(0, 100)}`, 'warning');
      await this.reply({ code: 221, enh: '2.7.0', text: 'Error: I can break rules, too. Goodbye.' });
      this.close();
      return;
    }
    if (s.smtpdNoopCommands.has(verb)) {
      await this.reply({ code: 250, enh: '2.0.0', text: 'Ok' });
      return;
    }
    const entry = COMMAND_TABLE.get(verb);
    if (!entry) {
      session.where = 'UNKNOWN';
      await this.reply({ code: 500, enh: '5.5.2', text: 'Error: command not recognized' });
      await this.afterCommand('unknown', 'error');
      return;
    }
    if (entry.flags.limit && session.junkCommands++ > s.smtpdJunkCommandLimit) session.errorCount++;
    if (session.accessDenied && verb !== 'QUIT') {
      session.where = verb;
      await this.reply({ code: 503, enh: '5.7.0', text: `Error: access denied for ${clientText(session.client)}` });
      await this.afterCommand(entry.name, 'error');
      return;
    }
    if (s.smtpdTlsSecurityLevel === 'encrypt' && !session.tls && !entry.flags.preTls) {
      session.where = verb;
      await this.reply({ code: 530, enh: '5.7.0', text: 'Must issue a STARTTLS command first' });
      await this.afterCommand(entry.name, 'error');
      return;
    }
    this.notePipelining(verb, entry.flags.last, cmd.pending);
    session.where = verb;
    if (session.improperPipelining && s.smtpdForbidUnauthPipelining) {
      await this.reply({ code: 554, enh: '5.5.0', text: 'Error: SMTP protocol synchronization' });
      this.close();
      return;
    }
    const result = await entry.handler(this, args, cmd);
    if (result !== 'pending') await this.afterCommand(entry.name, result);
  }

  /** afterCommand - per-command counts, the error counter and smtpd_hard_error_limit. */
  async afterCommand(name: string, result: Exclude<CommandResult, 'pending'>): Promise<void> {
    const session = this.pfx;
    const count = session.commandCounts.get(name) ?? { ok: 0, total: 0 };
    count.total++;
    if (result === 'ok') count.ok++;
    session.commandCounts.set(name, count);
    if (result === 'error') session.errorCount++;
    if (session.errorCount >= this.snapshot.settings.smtpdHardErrorLimit && !this._closing) {
      this.abortReason = 'too many errors';
      this.log('SMTPD_TOO_MANY_ERRORS', `too many errors after ${session.where} from ${this.clientLogText()}`);
      await this.reply({ code: 421, enh: '4.7.0', text: `${this.snapshot.settings.myhostname} Error: too many errors` });
    }
  }

  /** reply - send one reply; past smtpd_soft_error_limit every reply waits smtpd_error_sleep_time. */
  async reply(r: Reply): Promise<void> {
    const s = this.snapshot.settings;
    if (this.pfx && this.pfx.errorCount >= s.smtpdSoftErrorLimit && s.smtpdErrorSleepTimeMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, s.smtpdErrorSleepTimeMs));
    }
    const wire = formatReply(r, { softBounce: s.softBounce, footer: s.smtpdRejectFooter });
    this.transcript.noteReply(r);
    for (const l of wire.split('\r\n')) if (l) this.transcript.add('out', l);
    if (!this._socket.destroyed && this._socket.writable && !this._upgrading) this._socket.write(wire);
    if (r.code === 421 || r.code === 521) this.close();
  }

  /** send - smtp-server's own replies (STARTTLS, shutdown) go through the same wire format. */
  override send(code: number, data?: string | string[] | null): void {
    const text = Array.isArray(data) ? data.join('\n') : (data ?? '');
    const wire = formatReply({ code, enh: null, text }, { softBounce: false, footer: '' });
    if (!this._socket.destroyed && this._socket.writable && !this._upgrading) this._socket.write(wire);
    if (code === 421) this.close();
  }

  override _onTimeout(): void {
    if (this._closing) {
      this._socket.destroy();
      return;
    }
    // The client is waiting for us, not the other way round: keep the session.
    if (this.busy && !this.smtpdParser.inData) {
      this._armTimeout();
      return;
    }
    this.abortReason = 'timeout';
    const where = this.smtpdParser.inData ? `DATA (${this.smtpdParser.dataBytes} bytes)` : (this.pfx?.where ?? 'CONNECT');
    this.log('SMTPD_TIMEOUT', `timeout after ${where} from ${this.clientLogText()}`);
    const myhostname = this.snapshot.settings.myhostname;
    void this.reply({ code: 421, enh: '4.4.2', text: `${myhostname} Error: timeout exceeded` });
  }

  override _onClose(): void {
    // smtp-server drops the parser on close: note what it was doing first.
    const parser = this.smtpdParser;
    const where = parser && parser.inData ? `DATA (${parser.dataBytes} bytes)` : (this.pfx?.where ?? 'CONNECT');
    super._onClose();
    void this.finish(where);
  }

  override close(): void {
    if (!this._closed) this.closedByServer = true;
    super.close();
  }

  /**
   * hangUp - close once the last reply is sent, as Postfix's smtpd does after 221: close()
   * keeps reading until the client's FIN, for a client that may still be sending when it is
   * cut off, but after QUIT a client has nothing left to say, and one that resets the
   * connection on its way out would cost an error with a stack trace per session.
   */
  hangUp(): void {
    this.close();
    if (!this._upgrading) this._socket.destroySoon();
  }

  override _onError(): void {
    // A reset or broken socket is the client going away, logged by finish() as such.
    this._socket.destroy();
  }

  /** finish - abort an unfinished transaction, then log the session's end once. */
  private async finish(where: string): Promise<void> {
    if (this.finished || !this.pfx) return;
    this.finished = true;
    if (this.anvilIdent) disconnectFromAnvil(this, this.anvilIdent);
    const session = this.pfx;
    if (!this.closedByServer && !this.abortReason) {
      this.abortReason = 'lost connection';
      this.log('SMTPD_LOST_CONNECTION', `lost connection after ${where} from ${this.clientLogText()}`);
    }
    await this.resetTransaction();
    this.log('SMTPD_DISCONNECT', `disconnect from ${this.clientLogText()}${formatCommandCounts(session)}`);
    this.reportViolation();
  }

  /** reportViolation - hand a session that earned a notify class to the notifier (never waits). */
  private reportViolation(): void {
    const t = this.transcript;
    if (!t.classes.size || !this.services.violation) return;
    const c = this.pfx.client;
    this.services.violation({
      clientAddress: c.address, clientName: c.name, helo: this.pfx.helo, sender: t.sender, recipients: [...t.recipients],
      classes: [...t.classes], restriction: t.restriction, reply: t.reply, lines: t.lines(), endedAt: new Date().toISOString(),
    });
  }

  private fail(err: Error): void {
    this.log('SMTPD_WARNING', `${this.clientLogText()}: internal error: ${err.message}`, 'warning');
    this.close();
  }

  /** resetTransaction - drop the mail transaction; an open queue file is removed. */
  async resetTransaction(): Promise<void> {
    const t = this.pfx?.transaction;
    if (!t) return;
    this.pfx.transaction = null;
    if (t.queueFile) await t.queueFile.abort();
  }

  /** repin - take the newest snapshot; only between transactions. */
  repin(): void {
    if (this.pfx.transaction) return;
    this.snapshot = this.services.snapshot();
    this.smtpdParser.lineLengthLimit = this.snapshot.settings.lineLengthLimit;
  }

  /** expectLine - the next client line goes to this handler instead of the command table. */
  expectLine(handler: (line: string) => Promise<void>): void {
    this.lineHandler = handler;
  }

  /** startData - hand the rest of the input to a message sink (after the 354 reply). */
  startData(sink: DataSink): void {
    this.smtpdParser.startData(sink, this.snapshot.settings.messageSizeLimit, this.bareNewlineMode() !== 'no');
    this.transcript.add('in', '(message content not shown)');
  }

  /**
   * decide - run a policy check, fetching the DNS answers it asks for and running it again
   * until it decides (each round gets one step further; MAX_DNS_ROUNDS only stops a bug).
   */
  async decide(check: (session: SmtpdCheckSession) => CheckVerdict): Promise<PolicyDecision> {
    for (let round = 0; ; round++) {
      const verdict = check(this.checkSession());
      if (verdict.kind !== 'dns') return verdict;
      if (round >= MAX_DNS_ROUNDS) throw new Error(`policy check asked for DNS more than ${MAX_DNS_ROUNDS} times`);
      await this.dnsAnswers.fetch(verdict.queries, this.snapshot.resolver);
    }
  }

  /** tlsSocket - the socket after STARTTLS (smtp-server keeps it as _socket). */
  tlsSocket(): tls.TLSSocket {
    return (this as unknown as { _socket: tls.TLSSocket })._socket;
  }

  /** checkSession - the facts the restriction lists see. */
  checkSession(): SmtpdCheckSession {
    const s = this.pfx;
    const t = s.transaction;
    return {
      clientAddress: s.client.address,
      clientName: s.client.name,
      reverseClientName: s.client.reverseName,
      clientNameStatus: s.client.nameStatus,
      reverseNameStatus: s.client.reverseNameStatus,
      dns: this.dnsAnswers,
      clientCertificate: s.clientCertificate,
      clientPort: s.client.port,
      helo: s.helo,
      protocol: s.protocol,
      saslUsername: s.saslUsername,
      improperPipelining: s.improperPipelining,
      tls: s.tls,
      sender: t ? t.sender : null,
      recipientCount: t ? t.recipients.length : 0,
      recipient: t && t.recipients.length ? t.recipients[0].address : null,
      deferIfPermitClient: s.deferIfPermitClient,
      deferIfPermitHelo: s.deferIfPermitHelo,
      deferIfPermitSender: t ? t.deferIfPermitSender : null,
    };
  }

  /** clientLogText - `name[addr]`, with `:port` when smtpd_client_port_logging = yes. */
  clientLogText(): string {
    if (!this.pfx) return `unknown[${this.remoteAddress}]`;
    const c = this.pfx.client;
    return this.snapshot.settings.smtpdClientPortLogging ? `${c.name}[${c.address}]:${c.port}` : clientText(c);
  }

  /** log - one maillog line of the smtpd program. */
  log(code: EventCode, text: string, severity: 'info' | 'warning' = 'info'): void {
    this.services.maillog.write('smtpd', code, text, severity);
  }

  /**
   * enforce - act on a policy decision: log its events, note its message actions in the
   * transaction, tarpit, and give the reply to send, or null.
   */
  async enforce(v: PolicyDecision): Promise<Reply | null> {
    for (const e of v.events) {
      if (e.kind === 'warning') this.log('SMTPD_WARNING', e.text, 'warning');
      else if (e.kind === 'reject_warning') this.logWhatsup('reject_warning', e.context, e.reply);
      else if (e.kind === 'action') this.takeAction(e.action, e.context);
      else this.logWhatsup('permit', e.context, { code: 250, enh: null, text: e.text });
    }
    if (v.sleepSeconds > 0) await new Promise((r) => setTimeout(r, v.sleepSeconds * 1000));
    if (v.kind !== 'reject') return null;
    this.transcript.noteEnvelope(v.context.sender, v.context.recipient);
    if (v.errorClass === 'policy') this.transcript.notePolicy(v.restriction, v.reply);
    this.logWhatsup('reject', v.context, v.reply, false, v.restriction);
    return v.reply;
  }

  /** takeAction - log a delegated access action and note it for the message (message-actions.ts). */
  private takeAction(action: MessageAction, context: LogContext): void {
    const actions = this.pfx.transaction?.actions;
    if (action.verb !== 'prepend') this.logWhatsup(action.verb, context, { code: 250, enh: null, text: action.logText });
    if (!actions) return;
    switch (action.verb) {
      case 'hold': actions.hold ??= action.logText; break;
      case 'discard': actions.discard ??= action.logText; break;
      case 'redirect': actions.redirect = action.argument; break;
      case 'filter': actions.filter = action.argument; break;
      case 'bcc': actions.bcc.push(action.argument); break;
      case 'prepend': actions.prepend.push(action.argument); break;
    }
  }

  /**
   * logWhatsup - the policy log line (reject, reject_warning, permit...) for a request; a reject
   * carries what refused it (a restriction as written, or the parameter of a built-in check).
   */
  logWhatsup(action: string, context: Omit<LogContext, 'where'> & { where: string }, r: Reply, textOnly = false, refusedBy = ''): void {
    const s = this.pfx;
    const reply = this.snapshot.settings.softBounce && r.code >= 500 ? { ...r, code: r.code - 100, enh: r.enh ? '4' + r.enh.slice(1) : null } : r;
    const withCode = !textOnly && (action === 'reject' || action === 'reject_warning');
    const text = withCode ? `${reply.code}${reply.enh ? ' ' + reply.enh : ''} ${reply.text}` : r.text;
    const line = formatWhatsup({
      queueId: s.transaction?.queueId ?? null, action, where: context.where, client: clientText(s.client), text,
      sender: context.sender, recipient: context.recipient, protocol: s.protocol, helo: context.helo,
    });
    const code: EventCode = action === 'reject' ? 'SMTPD_REJECT' : action === 'reject_warning' ? 'SMTPD_REJECT_WARNING'
      : action === 'permit' ? 'SMTPD_PERMIT' : 'SMTPD_ACCESS_ACTION';
    const facts = action === 'reject' ? { stage: context.where, restriction: refusedBy, clientAddress: s.client.address } : undefined;
    this.services.maillog.write('smtpd', code, line, 'info', facts);
  }

  /** bareNewlineMode - smtpd_forbid_bare_newline for this client: `no` for its exclusions ($mynetworks). */
  bareNewlineMode(): SmtpdSettings['smtpdForbidBareNewline'] {
    const mode = this.snapshot.settings.smtpdForbidBareNewline;
    if (mode === 'no' || matchNetworkList(this.snapshot.bareNewlineExclusions, this.pfx.client.name, this.pfx.client.address)) return 'no';
    return mode;
  }

  /** isForbidden - smtpd_forbidden_commands, or a verb that looks like a mail header. */
  private isForbidden(verb: string): boolean {
    const f = this.snapshot.settings.smtpdForbiddenCommands;
    if (f.verbs.has(verb) || HEADER_LIKE.test(verb)) return true;
    return f.patterns.some((re) => re.test(verb));
  }

  /** notePipelining - flag and log an improper pipeliner once (spec/protocol.md §4). */
  private notePipelining(verb: string, last: boolean, pending: Buffer): void {
    const s = this.pfx;
    if (s.improperPipelining || !pending.length) return;
    if (!last && s.protocol === 'ESMTP') return;
    s.improperPipelining = true;
    const shown = pending.subarray(0, 100).toString('latin1').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
    this.log('SMTPD_IMPROPER_PIPELINING', `improper command pipelining after ${verb} from ${this.clientLogText()}: ${shown}`);
  }
}

/** isValidUtf8 - the bytes are well-formed UTF-8 (plain ASCII is). */
function isValidUtf8(line: Buffer): boolean {
  if (line.every((b) => b < 0x80)) return true;
  try {
    UTF8.decode(line);
    return true;
  } catch {
    return false;
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** formatCommandCounts - ` ehlo=1 mail=1 rcpt=1/2 data=1 quit=1 commands=5/6`, in table order. */
export function formatCommandCounts(session: SmtpdSession): string {
  let ok = 0;
  let total = 0;
  let out = '';
  for (const name of [...COMMAND_ORDER, 'unknown']) {
    const c = session.commandCounts.get(name);
    if (!c) continue;
    ok += c.ok;
    total += c.total;
    out += ` ${name}=${c.ok === c.total ? c.ok : `${c.ok}/${c.total}`}`;
  }
  return `${out} commands=${ok === total ? ok : `${ok}/${total}`}`;
}
