/**
 * The policy simulator agrees with the gateway: for a few policies, a real gateway on a real
 * SQLite file answers a real SMTP session from a loopback client address, and the simulator,
 * run on the same data folder with the same session, must predict every reply (first line) and
 * every policy log line (reject, reject_warning, actions), with client names looked up through
 * the same loopback DNS server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SmtpClient, dataWire } from '../support/smtp-client.ts';
import { startTestGateway } from '../support/gateway.ts';
import { simulateSession, type SimulationInput } from '../../server/policy/simulate-session.ts';
import type { TableKind } from '../../server/maps/table-store.ts';

interface Case {
  label: string;
  parameters: Record<string, string>;
  tables?: Record<string, { kind: TableKind; source: string }>;
  session: Required<Pick<SimulationInput, 'clientAddress' | 'helo' | 'sender' | 'recipients'>>;
}

const CASES: Case[] = [
  {
    label: 'a relay attempt from outside mynetworks',
    parameters: { mynetworks: '127.0.0.1/32' },
    session: { clientAddress: '127.0.0.2', helo: 'client.example.org', sender: 'a@example.org', recipients: ['b@example.net', 'c@mx.example.test'] },
  },
  {
    label: 'a client table at connect with smtpd_delay_reject = no',
    parameters: { smtpd_delay_reject: 'no', smtpd_client_restrictions: 'check_client_access cidr:blocked' },
    tables: { blocked: { kind: 'cidr', source: '127.0.0.2 REJECT You are on our list\n' } },
    session: { clientAddress: '127.0.0.2', helo: 'client.example.org', sender: 'a@example.org', recipients: ['b@example.net'] },
  },
  {
    label: 'an RBL, warn_if_reject and a class with a sender table',
    parameters: {
      mynetworks: '127.0.0.1/32',
      smtpd_restriction_classes: 'strict',
      strict: 'check_sender_access hash:senders, reject_non_fqdn_sender',
      smtpd_recipient_restrictions: 'warn_if_reject reject_rbl_client bl2.test, strict, reject_rbl_client rbl.test, permit_auth_destination, reject',
    },
    tables: { senders: { kind: 'exact', source: 'friend.example OK\nspam.example REJECT no spam here\n' } },
    session: {
      clientAddress: '127.0.0.10', helo: 'nodots', sender: 'x@spam.example', recipients: ['b@mx.example.test'],
    },
  },
  {
    label: 'a listed client whose sender a table lets through',
    parameters: {
      mynetworks: '127.0.0.1/32',
      smtpd_recipient_restrictions: 'check_sender_access hash:senders, reject_rbl_client rbl.test, permit_auth_destination, reject',
    },
    tables: { senders: { kind: 'exact', source: 'friend.example OK\n' } },
    session: { clientAddress: '127.0.0.10', helo: 'host.example.org', sender: 'x@friend.example', recipients: ['b@mx.example.test', 'c@example.net'] },
  },
  {
    label: 'a sender domain whose DNS fails: defer_if_permit',
    parameters: { mynetworks: '127.0.0.1/32', smtpd_sender_restrictions: 'reject_unknown_sender_domain' },
    session: { clientAddress: '127.0.0.3', helo: 'client.example.org', sender: 'a@tempfail.example.com', recipients: ['b@mx.example.test'] },
  },
  {
    label: 'unlisted recipients, a HOLD action and the end-of-data list',
    parameters: {
      mydestination: '$myhostname, example.test',
      local_recipient_maps: 'hash:users',
      smtpd_recipient_restrictions: 'check_recipient_access hash:rcpt',
      smtpd_end_of_data_restrictions: 'check_sender_access hash:eod',
    },
    tables: {
      users: { kind: 'exact', source: 'alice@example.test x\nheld@example.test x\n' },
      rcpt: { kind: 'exact', source: 'held@example.test HOLD look at this\n' },
      eod: { kind: 'exact', source: 'late.example REJECT not after all\n' },
    },
    session: { clientAddress: '127.0.0.1', helo: 'client.example.org', sender: 'a@late.example', recipients: ['alice@example.test', 'bob@example.test', 'held@example.test'] },
  },
];

const POLICY_LINE = /^(NOQUEUE|\w+): (reject|reject_warning|hold|discard|warn|info|redirect|filter|permit):/;

for (const c of CASES) {
  test(`the simulator predicts the gateway: ${c.label}`, async (t) => {
    const gw = await startTestGateway(c.parameters, { tables: c.tables });
    t.after(() => gw.stop());
    const simulated = await simulateSession(gw.dataDir, c.session);
    assert.ok(simulated.ok, JSON.stringify(simulated));

    const real: string[] = [];
    const client = await SmtpClient.connect(gw.port, { localAddress: c.session.clientAddress });
    try {
      const line = (r: Awaited<ReturnType<SmtpClient['read']>>) => (r ? `${r.code}${r.enh ? ' ' + r.enh : ''} ${r.text.split('\n')[0]}` : 'closed');
      real.push(line(await client.read()));
      real.push(line(await client.command(`EHLO ${c.session.helo}`)));
      real.push(line(await client.command(`MAIL FROM:<${c.session.sender}>`)));
      for (const r of c.session.recipients) real.push(line(await client.command(`RCPT TO:<${r}>`)));
      const data = await client.command('DATA');
      real.push(line(data));
      if (data?.code === 354) {
        client.write(dataWire('Subject: agreement\n\nbody\n'));
        real.push(line(await client.read()).replace(/queued as \w+$/, 'queued as QUEUEID'));
      }
      await client.command('QUIT');
    } finally {
      client.close();
    }
    assert.deepEqual(simulated.stages.map((s) => s.replyLines[0]), real);

    // The policy lines, with the simulator's stand-in for the queue ID.
    const logged = gw.logLines().filter((l) => POLICY_LINE.test(l)).map((l) => l.replace(/^(?!NOQUEUE)\w+:/, 'QUEUEID:'));
    assert.deepEqual(simulated.stages.flatMap((s) => s.logLines.filter((l) => POLICY_LINE.test(l))), logged);
  });
}
