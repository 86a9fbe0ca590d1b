// Golden scripts for the policy, in the manner of Postfix's smtpd_check.in/.ref: each
// golden/NAME.in is a small command script, golden/NAME.ref the replies and log lines it must
// produce. The runner plays the SMTP front: it calls the stage functions in protocol order
// and keeps what a front keeps (HELO name, transaction, deferIfPermit with delay no).
//
// Script language (one command per line; `#` lines are copied to the output as notes):
//   NAME = VALUE          change a main.cf parameter (the rig's main.cf is the start) and recompile
//   client NAME ADDR      new session from that client (client restrictions run if delay no)
//   helo NAME / ehlo NAME HELO or EHLO
//   mail ADDR             MAIL FROM (`mail <>` for the null sender)
//   rcpt ADDR / vrfy ADDR / etrn DOMAIN / data / eod / rset
//   sasl LOGIN / tls / pipelining     AUTH succeeded, TLS active, improper pipelining seen
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePolicy } from '../../../server/policy/compile-policy.ts';
import type { Policy } from '../../../server/policy/policy.ts';
import type { PolicyLogEvent } from '../../../server/policy/policy-log-event.ts';
import { formatReply } from '../../../server/policy/reply.ts';
import {
  checkClient, checkData, checkEod, checkEtrn, checkHelo, checkMail, checkRcpt, checkVrfy,
  type CheckVerdict, type SmtpdCheckSession,
} from '../../../server/policy/smtpd-check.ts';
import { RIG_MAIN_CF } from './policy-rig.ts';
import { NO_DNS_ANSWERS } from '../../../server/policy/dns-answers.ts';
import { whatsupLine } from './whatsup-line.ts';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');

type MutableSession = { -readonly [K in keyof SmtpdCheckSession]-?: SmtpdCheckSession[K] };

function newSession(clientName: string, clientAddress: string): MutableSession {
  return {
    clientAddress, clientName, reverseClientName: clientName, clientPort: 40000, helo: null, protocol: 'SMTP',
    saslUsername: null, improperPipelining: false, tls: false, sender: null, recipient: null, recipientCount: 0,
    deferIfPermitClient: null, deferIfPermitHelo: null, deferIfPermitSender: null,
    clientNameStatus: 'ok', reverseNameStatus: 'ok', dns: NO_DNS_ANSWERS, clientCertificate: null, trace: null,
  };
}

function runScript(script: string): string {
  const mainCf: Record<string, string> = { ...RIG_MAIN_CF };
  const out: string[] = [];
  let policy: Policy | null = null;
  let session = newSession('localhost', '127.0.0.1');

  const recompile = (): void => {
    const compiled = compilePolicy({ get: (name) => mainCf[name] ?? '' }, { machineAddresses: ['127.0.0.1'] });
    for (const warning of compiled.warnings) out.push(`compile warning: ${warning}`);
    if (compiled.ok) policy = compiled.policy;
    else for (const error of compiled.errors) out.push(`compile error: ${error}`);
  };
  const show = (verdict: CheckVerdict): boolean => {
    for (const event of verdict.events) out.push(eventLine(event, session));
    if (verdict.sleepSeconds > 0) out.push(`sleep ${verdict.sleepSeconds}`);
    if (verdict.kind === 'dunno') {
      out.push('OK');
      return true;
    }
    if (verdict.kind === 'dns') {
      out.push(`DNS? ${verdict.queries.map((q) => `${q.type} ${q.name}`).join(', ')}`);
      return false;
    }
    out.push(whatsupLine('reject', formatReply(verdict.reply), verdict.context, session));
    out.push(`${formatReply(verdict.reply)}  [${verdict.parameter}: ${verdict.restriction}]`);
    return false;
  };
  recompile();

  for (const line of script.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      out.push(line);
      continue;
    }
    out.push(`>>> ${line}`);
    const assignment = /^(\w+)\s*=\s*(.*)$/.exec(line);
    if (assignment) {
      mainCf[assignment[1]] = assignment[2];
      recompile();
      continue;
    }
    if (policy === null) {
      out.push('no policy compiled');
      continue;
    }
    const [command, ...words] = line.trim().split(/\s+/);
    const arg = words.join(' ');
    switch (command) {
      case 'client': {
        session = newSession(words[0], words[1]);
        const verdict = checkClient(policy, session);
        session.deferIfPermitClient = verdict.deferIfPermit;
        show(verdict);
        break;
      }
      case 'helo':
      case 'ehlo': {
        session.protocol = command === 'ehlo' ? 'ESMTP' : 'SMTP';
        session.helo = arg;
        const verdict = checkHelo(policy, session);
        if (show(verdict)) session.deferIfPermitHelo = verdict.deferIfPermit;
        else session.helo = null;
        break;
      }
      case 'mail': {
        session.sender = arg === '<>' ? '' : arg;
        const verdict = checkMail(policy, session);
        if (show(verdict)) session.deferIfPermitSender = verdict.deferIfPermit;
        else session.sender = null;
        break;
      }
      case 'rcpt':
        if (show(checkRcpt(policy, session, arg))) {
          session.recipient ??= arg;
          session.recipientCount++;
        }
        break;
      case 'vrfy':
        show(checkVrfy(policy, session, arg));
        break;
      case 'etrn':
        show(checkEtrn(policy, session, arg));
        break;
      case 'data':
        show(checkData(policy, session));
        break;
      case 'eod':
        show(checkEod(policy, session));
        break;
      case 'rset':
        Object.assign(session, { sender: null, recipient: null, recipientCount: 0, deferIfPermitSender: null });
        out.push('OK');
        break;
      case 'sasl':
        session.saslUsername = arg;
        out.push('OK');
        break;
      case 'tls':
        session.tls = true;
        out.push('OK');
        break;
      case 'pipelining':
        session.improperPipelining = true;
        out.push('OK');
        break;
      default:
        out.push(`unknown script command: ${command}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function eventLine(event: PolicyLogEvent, session: SmtpdCheckSession): string {
  switch (event.kind) {
    case 'warning':
      return `warning: ${event.text}`;
    case 'reject_warning':
      return whatsupLine('reject_warning', formatReply(event.reply), event.context, session);
    case 'permit':
      return whatsupLine('permit', event.text, event.context, session);
    case 'action':
      return event.action.verb === 'prepend' ? `prepend: ${event.action.argument}` : whatsupLine(event.action.verb, event.action.logText, event.context, session);
  }
}

for (const file of fs.readdirSync(GOLDEN).filter((name) => name.endsWith('.in')).sort()) {
  test(`golden script ${file} gives golden/${file.replace(/\.in$/, '.ref')}`, () => {
    const actual = runScript(fs.readFileSync(path.join(GOLDEN, file), 'utf8'));
    const expected = fs.readFileSync(path.join(GOLDEN, file.replace(/\.in$/, '.ref')), 'utf8');
    assert.equal(actual, expected);
  });
}
