// Which lists run at which command, and what carries between stages: smtpd_delay_reject,
// smtpd_relay_before_recipient_restrictions, defer_if_permit across stages, ETRN, VRFY, DATA
// and end of data (spec/restrictions.md sections 2-4 and 7, spec/appendix-observed.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkClient,
  checkData,
  checkEod,
  checkEtrn,
  checkHelo,
  checkMail,
  checkRcpt,
  checkVrfy,
} from '../../../server/policy/smtpd-check.ts';
import { compileRigPolicy, outcomeOf, rigSession, strangerSession } from './policy-rig.ts';
import { whatsupLine } from './whatsup-line.ts';

const CLIENT_DENIED = '554 5.7.1 <client.example.org[198.51.100.7]>: Client host rejected: Access denied';
const NON_FQDN_SENDER = '504 5.5.2 <s@nodomain>: Sender address rejected: need fully-qualified address';
const NON_FQDN_HELO = '504 5.5.2 <nodots>: Helo command rejected: need fully-qualified hostname';

test('delay_reject = no: a client reject replaces the banner and is logged at CONNECT without from/to', () => {
  const policy = compileRigPolicy({ smtpd_delay_reject: 'no', smtpd_client_restrictions: 'reject' });
  const session = rigSession({ helo: null, sender: null, protocol: 'SMTP' });
  const verdict = checkClient(policy, session);
  assert.equal(outcomeOf(verdict), '554 5.7.1 <localhost[127.0.0.1]>: Client host rejected: Access denied');
  assert.equal(verdict.kind === 'reject' && whatsupLine('reject', outcomeOf(verdict), verdict.context, session),
    'NOQUEUE: reject: CONNECT from localhost[127.0.0.1]: 554 5.7.1 <localhost[127.0.0.1]>: Client host rejected: Access denied; proto=SMTP');
});

test('delay_reject = yes: the client list waits for RCPT and the reply names the client', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: 'reject' });
  const session = strangerSession();
  assert.equal(outcomeOf(checkClient(policy, session)), 'DUNNO');
  const verdict = checkRcpt(policy, session, 'alice@example.test');
  assert.equal(outcomeOf(verdict), CLIENT_DENIED);
  assert.equal(verdict.kind === 'reject' && whatsupLine('reject', outcomeOf(verdict), verdict.context, session),
    `NOQUEUE: reject: RCPT from client.example.org[198.51.100.7]: ${CLIENT_DENIED}; from=<a@example.org> to=<alice@example.test> proto=ESMTP helo=<client.example.org>`);
});

test('delay_reject = no: the helo list runs at EHLO, its reject logged with the new HELO name', () => {
  const policy = compileRigPolicy({ smtpd_delay_reject: 'no', smtpd_helo_restrictions: 'reject_non_fqdn_helo_hostname' });
  const session = strangerSession({ helo: 'nodots', sender: null });
  const verdict = checkHelo(policy, session);
  assert.equal(outcomeOf(verdict), NON_FQDN_HELO);
  assert.equal(verdict.kind === 'reject' && whatsupLine('reject', outcomeOf(verdict), verdict.context, session),
    `NOQUEUE: reject: EHLO from client.example.org[198.51.100.7]: ${NON_FQDN_HELO}; proto=ESMTP helo=<nodots>`);
  assert.equal(checkHelo(policy, strangerSession({ helo: 'nodots', protocol: 'SMTP' })).stage, 'HELO');
  // The HELO was refused, so the front keeps no HELO name: RCPT is then not judged by the helo list.
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ helo: null }), 'alice@example.test')), 'DUNNO');
});

test('delay_reject = yes: the helo list waits for RCPT', () => {
  const policy = compileRigPolicy({ smtpd_helo_restrictions: 'reject_non_fqdn_helo_hostname' });
  assert.equal(outcomeOf(checkHelo(policy, strangerSession({ helo: 'nodots' }))), 'DUNNO');
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ helo: 'nodots' }), 'alice@example.test')), NON_FQDN_HELO);
});

test('delay_reject = no: the sender list runs at MAIL and logs from= only', () => {
  const policy = compileRigPolicy({ smtpd_delay_reject: 'no', smtpd_sender_restrictions: 'reject_non_fqdn_sender' });
  const session = strangerSession({ sender: 's@nodomain' });
  const verdict = checkMail(policy, session);
  assert.equal(outcomeOf(verdict), NON_FQDN_SENDER);
  assert.equal(verdict.kind === 'reject' && whatsupLine('reject', outcomeOf(verdict), verdict.context, session),
    `NOQUEUE: reject: MAIL from client.example.org[198.51.100.7]: ${NON_FQDN_SENDER}; from=<s@nodomain> proto=ESMTP helo=<client.example.org>`);
});

test('delay_reject = yes: MAIL is accepted and every RCPT after it gets the sender reject', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: 'reject_non_fqdn_sender' });
  assert.equal(outcomeOf(checkMail(policy, strangerSession({ sender: 's@nodomain' }))), 'DUNNO');
  const session = strangerSession({ sender: 's@nodomain' });
  assert.equal(outcomeOf(checkRcpt(policy, session, 'alice@example.test')), NON_FQDN_SENDER);
  assert.equal(outcomeOf(checkRcpt(policy, session, 'bob@example.test')), NON_FQDN_SENDER);
});

test('delay_reject = yes: a permit in the client list does not exempt the client from the sender list', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: 'permit_mynetworks', smtpd_sender_restrictions: 'reject_non_fqdn_sender' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession({ sender: 's@nodomain' }), 'alice@example.test')), NON_FQDN_SENDER);
});

test('delay_reject = yes: a client list may use recipient restrictions', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: 'reject_non_fqdn_recipient' });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession(), 'x@y')), '504 5.5.2 <x@y>: Recipient address rejected: need fully-qualified address');
});

test('delay_reject = no: a recipient restriction in the client list never fires', () => {
  const policy = compileRigPolicy({ smtpd_delay_reject: 'no', smtpd_client_restrictions: 'reject_non_fqdn_recipient' });
  assert.equal(outcomeOf(checkClient(policy, rigSession({ helo: null, sender: null }))), 'DUNNO');
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'x@y')), 'DUNNO');
});

test('lists run client, helo, sender, relay, recipient: the first reject answers', () => {
  const policy = compileRigPolicy({
    smtpd_helo_restrictions: 'reject_non_fqdn_helo_hostname',
    smtpd_sender_restrictions: 'reject_non_fqdn_sender',
    smtpd_recipient_restrictions: 'reject',
  });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ helo: 'nodots', sender: 's@nodomain' }), 'x@elsewhere.org')), NON_FQDN_HELO);
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession({ sender: 's@nodomain' }), 'x@elsewhere.org')), NON_FQDN_SENDER);
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession(), 'x@elsewhere.org')), '454 4.7.1 <x@elsewhere.org>: Relay access denied');
});

test('smtpd_relay_before_recipient_restrictions = no runs the recipient list first', () => {
  const policy = compileRigPolicy({ smtpd_relay_before_recipient_restrictions: 'no', smtpd_recipient_restrictions: 'reject' });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession(), 'x@elsewhere.org')), '554 5.7.1 <x@elsewhere.org>: Recipient address rejected: Access denied');
});

test('bare postmaster skips every list, even smtpd_recipient_restrictions = reject (rig row)', () => {
  const policy = compileRigPolicy({ smtpd_recipient_restrictions: 'reject' });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession(), 'postmaster')), 'DUNNO');
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession(), 'PostMaster')), 'DUNNO');
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession(), 'postmaster@example.test')),
    '554 5.7.1 <postmaster@example.test>: Recipient address rejected: Access denied');
});

test('VRFY is judged like RCPT and logged as VRFY', () => {
  const session = strangerSession({ sender: null });
  const verdict = checkVrfy(compileRigPolicy(), session, 'x@elsewhere.org');
  assert.equal(outcomeOf(verdict), '454 4.7.1 <x@elsewhere.org>: Relay access denied');
  assert.equal(verdict.kind === 'reject' && whatsupLine('reject', outcomeOf(verdict), verdict.context, session),
    'NOQUEUE: reject: VRFY from client.example.org[198.51.100.7]: 454 4.7.1 <x@elsewhere.org>: Relay access denied; ' +
      'to=<x@elsewhere.org> proto=ESMTP helo=<client.example.org>');
});

test('defer_if_permit in the client list defers an otherwise accepted RCPT (delay yes)', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: 'defer_if_permit' });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession(), 'alice@example.test')),
    '450 4.7.0 <client.example.org[198.51.100.7]>: Client host rejected: defer_if_permit requested');
});

test('a later reject wins over a pending defer_if_permit from the client list', () => {
  const policy = compileRigPolicy({ smtpd_client_restrictions: 'defer_if_permit', smtpd_recipient_restrictions: 'reject' });
  assert.equal(outcomeOf(checkRcpt(policy, strangerSession(), 'alice@example.test')),
    '554 5.7.1 <alice@example.test>: Recipient address rejected: Access denied');
});

test('delay_reject = no: a defer_if_permit raised at CONNECT carries to RCPT through the session', () => {
  const policy = compileRigPolicy({ smtpd_delay_reject: 'no', smtpd_client_restrictions: 'defer_if_permit' });
  const connect = checkClient(policy, strangerSession({ helo: null, sender: null }));
  assert.equal(outcomeOf(connect), 'DUNNO');
  assert.ok(connect.deferIfPermit !== null);
  const helo = checkHelo(policy, strangerSession({ sender: null, deferIfPermitClient: connect.deferIfPermit }));
  const mail = checkMail(policy, strangerSession({ deferIfPermitClient: connect.deferIfPermit, deferIfPermitHelo: helo.deferIfPermit }));
  const session = strangerSession({ deferIfPermitClient: connect.deferIfPermit, deferIfPermitHelo: helo.deferIfPermit, deferIfPermitSender: mail.deferIfPermit });
  assert.equal(outcomeOf(checkRcpt(policy, session, 'alice@example.test')),
    '450 4.7.0 <client.example.org[198.51.100.7]>: Client host rejected: defer_if_permit requested');
  assert.equal(outcomeOf(checkData(policy, rigSession({ ...session, recipientCount: 1 }))), 'DUNNO');
});

test('defer_if_reject from the sender list does not reach the recipient lists', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: 'defer_if_reject', smtpd_recipient_restrictions: 'reject' });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'alice@example.test')),
    '554 5.7.1 <alice@example.test>: Recipient address rejected: Access denied');
});

test('defer_if_reject from the relay list reaches the recipient list', () => {
  const policy = compileRigPolicy({
    smtpd_relay_restrictions: 'defer_if_reject, permit_mynetworks, reject_unauth_destination',
    smtpd_recipient_restrictions: 'reject',
  });
  assert.equal(outcomeOf(checkRcpt(policy, rigSession(), 'alice@example.test')),
    '450 4.7.0 <alice@example.test>: Recipient address rejected: defer_if_reject requested');
});

test('ETRN runs the client and helo lists (delay yes), then smtpd_etrn_restrictions', () => {
  const session = strangerSession({ sender: null });
  const etrnOnly = compileRigPolicy({ smtpd_etrn_restrictions: 'reject' });
  const verdict = checkEtrn(etrnOnly, session, 'other.test');
  assert.equal(outcomeOf(verdict), '554 5.7.1 <other.test>: Etrn command rejected: Access denied');
  assert.equal(verdict.kind === 'reject' && whatsupLine('reject', outcomeOf(verdict), verdict.context, session),
    'NOQUEUE: reject: ETRN from client.example.org[198.51.100.7]: 554 5.7.1 <other.test>: Etrn command rejected: Access denied; ' +
      'proto=ESMTP helo=<client.example.org>');
  const clientToo = compileRigPolicy({ smtpd_client_restrictions: 'reject', smtpd_etrn_restrictions: 'reject' });
  assert.equal(outcomeOf(checkEtrn(clientToo, session, 'other.test')), CLIENT_DENIED);
  assert.equal(outcomeOf(checkEtrn(compileRigPolicy(), session, 'relay.test')), 'DUNNO');
});

test('the sender list does not run at ETRN', () => {
  const policy = compileRigPolicy({ smtpd_sender_restrictions: 'reject' });
  assert.equal(outcomeOf(checkEtrn(policy, strangerSession({ sender: 'a@example.org' }), 'relay.test')), 'DUNNO');
});

test('end of data runs smtpd_end_of_data_restrictions with its own name and class', () => {
  const policy = compileRigPolicy({ smtpd_end_of_data_restrictions: 'reject' });
  const verdict = checkEod(policy, rigSession({ recipientCount: 1, recipient: 'alice@example.test' }));
  assert.equal(outcomeOf(verdict), '554 5.7.1 <END-OF-MESSAGE>: End-of-data rejected: Access denied');
  assert.equal(verdict.stage, 'END-OF-MESSAGE');
});

test('DATA with several recipients logs no to=', () => {
  const session = rigSession({ recipientCount: 2, recipient: 'alice@example.test' });
  const verdict = checkData(compileRigPolicy({ smtpd_data_restrictions: 'reject' }), session);
  assert.equal(verdict.kind === 'reject' && whatsupLine('reject', outcomeOf(verdict), verdict.context, session),
    'NOQUEUE: reject: DATA from localhost[127.0.0.1]: 554 5.7.1 <DATA>: Data command rejected: Access denied; ' +
      'from=<a@example.org> proto=ESMTP helo=<client.example.org>');
});
