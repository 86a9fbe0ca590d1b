/**
 * DATA and the end of the message (spec/protocol.md §3 DATA): sequence checks, the DATA
 * restrictions, 354, then the content through cleanup (header and body checks) into the open
 * queue file. After the final dot, in Postfix's order: write errors, message_size_limit, bare
 * <LF> (when smtpd_forbid_bare_newline = yes), smtpd_end_of_data_restrictions, then cleanup's
 * verdict (cleanup-verdict.ts): DISCARD answers 250 and removes the file; a content REJECT,
 * too many hops or a failed check table refuse; otherwise the queue file is committed (fsynced
 * and renamed into incoming/, with the REDIRECT, FILTER, BCC and HOLD attributes; a held
 * message straight into hold/, as Postfix's cleanup writes it) BEFORE
 * `250 2.0.0 Ok: queued as ID`. Every other outcome removes the file. Success resets the error
 * and junk counters.
 * The delegated actions of the smtpd restrictions (t.actions) and of the content checks are
 * one record, so HOLD, DISCARD, REDIRECT ... end the same way whichever decided them.
 */
import { checkData, checkEod } from '../../policy/smtpd-check.ts';
import type { Reply } from '../../policy/reply.ts';
import { buildReceivedHeader, receivedProtocol } from '../../cleanup/received-header.ts';
import { CleanupMessage } from '../../cleanup/cleanup-message.ts';
import { cleanupVerdict } from '../../cleanup/cleanup-verdict.ts';
import { envelopeAttributes } from '../../cleanup/message-actions.ts';
import { quoteAddress } from '../address-syntax.ts';
import type { CommandHandler } from '../command-table.ts';
import type { SmtpdConnection } from '../smtpd-connection.ts';
import type { DataResult } from '../smtpd-stream.ts';

export const dataCommand: CommandHandler = async (conn, args) => {
  const session = conn.pfx;
  const t = session.transaction;
  // Postfix's order: the recipient count first, then the syntax (data_cmd()).
  if (!t) {
    await conn.reply({ code: 503, enh: '5.5.1', text: 'Error: need RCPT command' });
    return 'error';
  }
  if (!t.recipients.length || !t.queueFile || !t.queueId) {
    await conn.reply({ code: 554, enh: '5.5.1', text: 'Error: no valid recipients' });
    return 'error';
  }
  if (args.trim()) {
    await conn.reply({ code: 501, enh: '5.5.4', text: 'Syntax: DATA' });
    return 'error';
  }
  if (!conn.services.standalone) {
    const refused = await conn.enforce(await conn.decide((session) => checkData(conn.snapshot.policy, session)));
    if (refused) {
      await conn.reply(refused);
      return 'error';
    }
  }
  const s = conn.snapshot.settings;
  const file = t.queueFile;
  let writeError: Error | null = null;
  const cleanup = new CleanupMessage(async (chunk) => {
    if (writeError) return;
    try {
      await file.writeContent(chunk);
    } catch (err) {
      writeError = err as Error;
    }
  }, {
    hopcountLimit: s.hopcountLimit,
    lineLengthLimit: s.lineLengthLimit,
    checks: conn.snapshot.contentChecks,
    actions: t.actions,
    facts: {
      queueId: t.queueId,
      origin: conn.clientLogText(),
      // cleanup logs the envelope as it keeps it: qualified, the last recipient.
      sender: qualify(t.sender, s.myorigin),
      recipient: qualify(t.recipients[t.recipients.length - 1].address, s.myorigin),
      protocol: session.protocol,
      helo: session.helo,
    },
    log: (code, text, severity, refusedBy) => conn.services.maillog.write('cleanup', code, text, severity,
      refusedBy === undefined ? undefined : { stage: 'END-OF-MESSAGE', restriction: refusedBy, clientAddress: session.client.address }),
  });
  const arrival = new Date();
  // Access-table PREPEND lines go above the Received: header (access-maps.md §3.3).
  await cleanup.start(t.actions.prepend, buildReceivedHeader({
    helo: session.helo,
    clientName: session.client.name,
    clientAddress: session.client.address,
    authenticatedSender: conn.snapshot.sasl.smtpdSaslAuthenticatedHeader ? session.saslUsername : null,
    myhostname: s.myhostname,
    mailName: s.mailName,
    protocol: receivedProtocol({ protocol: session.protocol, tls: session.tls, auth: session.saslUsername !== null, smtputf8: t.mailParameters.smtputf8 }),
    queueId: t.queueId,
    recipients: t.recipients.map((r) => quoteAddress(r.address)),
    date: arrival,
  }));
  await conn.reply({ code: 354, enh: null, text: 'End data with <CR><LF>.<CR><LF>' });
  conn.startData({
    write: (chunk) => cleanup.write(chunk),
    end: async (result) => {
      conn.busy = true;
      try {
        const ok = await endOfData(conn, result, cleanup, () => writeError, arrival);
        await conn.afterCommand('data', ok ? 'ok' : 'error');
      } finally {
        conn.busy = false;
      }
    },
  });
  return 'pending';
};

/** endOfData - decide on the message after the final dot; true when it was queued. */
async function endOfData(conn: SmtpdConnection, result: DataResult, cleanup: CleanupMessage, writeError: () => Error | null, arrival: Date): Promise<boolean> {
  const session = conn.pfx;
  const t = session.transaction!;
  const s = conn.snapshot.settings;
  const id = t.queueId!;
  session.where = 'END-OF-MESSAGE';
  const refuse = async (reply: Reply) => {
    await conn.resetTransaction();
    await conn.reply(reply);
    return false;
  };
  const cleaned = await cleanup.finish();
  if (writeError()) {
    conn.log('QUEUE_WRITE_ERROR', writeError()!.message, 'warning');
    return refuse({ code: 451, enh: '4.3.0', text: 'Error: queue file write error' });
  }
  if (result.sizeExceeded) {
    conn.log('SMTPD_SIZE_LIMIT', `${id}: queue file size limit exceeded`, 'warning');
    return refuse({ code: 552, enh: '5.3.4', text: 'Error: message file too big' });
  }
  if (result.bareLf && conn.bareNewlineMode() === 'reject') {
    conn.logWhatsup('reject', { where: 'END-OF-MESSAGE', sender: t.sender, recipient: t.recipients.length === 1 ? t.recipients[0].address : null, helo: session.helo }, { code: 0, enh: null, text: 'bare <LF> received' }, true, 'smtpd_forbid_bare_newline');
    return refuse({ code: s.smtpdForbidBareNewlineRejectCode, enh: '5.5.2', text: `${s.myhostname} Error: bare <LF> received` });
  }
  if (!conn.services.standalone) {
    const refused = await conn.enforce(await conn.decide((session) => checkEod(conn.snapshot.policy, session)));
    if (refused) return refuse(refused);
  }
  const verdict = cleanupVerdict(cleaned, t.actions);
  if (verdict.kind === 'refuse') return refuse(verdict.reply);
  // Before the commit, as cleanup logs it while reading the headers: once the file is in
  // incoming/ the queue manager may log its `from=` line at any moment.
  const disposition = verdict.kind === 'discard' ? 'discarded' : verdict.hold ? 'held' : 'queued';
  conn.services.maillog.write('cleanup', 'CLEANUP_MESSAGE_ID', `${id}: message-id=${cleaned.messageId || '<>'}`, 'info', { disposition });
  // Detached first: a client that drops now must not make the close path remove the file.
  const file = t.queueFile!;
  t.queueFile = null;
  if (verdict.kind === 'discard') {
    // Postfix's cleanup reports success for a discarded message and keeps nothing.
    await file.abort();
    return accepted(conn, id);
  }
  try {
    await file.commit({
      queueId: id,
      arrivalTime: arrival.getTime(),
      sender: qualify(t.sender, s.myorigin),
      recipients: t.recipients.map((r) => ({
        address: qualify(r.address, s.myorigin),
        ...(r.parameters.orcpt ? { orcpt: r.parameters.orcpt } : {}),
        ...(r.parameters.notify ? { notify: r.parameters.notify } : {}),
      })),
      dsn: { ...(t.mailParameters.ret ? { ret: t.mailParameters.ret } : {}), ...(t.mailParameters.envid ? { envid: t.mailParameters.envid } : {}) },
      client: { name: session.client.name, address: session.client.address, port: session.client.port, helo: session.helo ?? '', protocol: session.protocol },
      ...(t.mailParameters.body ? { bodyType: t.mailParameters.body } : {}),
      smtputf8: t.mailParameters.smtputf8,
      attributes: envelopeAttributes(t.actions),
    }, verdict.hold ? 'hold' : 'incoming');
  } catch (err) {
    await file.abort();
    conn.log('QUEUE_WRITE_ERROR', (err as Error).message, 'warning');
    return refuse({ code: 451, enh: '4.3.0', text: 'Error: queue file write error' });
  }
  return accepted(conn, id);
}

/** accepted - end the transaction with `250 2.0.0 Ok: queued as ID`; the counters start again. */
async function accepted(conn: SmtpdConnection, id: string): Promise<true> {
  const session = conn.pfx;
  session.transaction = null;
  session.errorCount = 0;
  session.junkCommands = 0;
  await conn.reply({ code: 250, enh: '2.0.0', text: `Ok: queued as ${id}` });
  conn.repin();
  return true;
}

/** qualify - complete an unqualified address with @$myorigin, as Postfix's cleanup does. */
function qualify(address: string, myorigin: string): string {
  return address === '' || address.includes('@') ? address : `${address}@${myorigin}`;
}
