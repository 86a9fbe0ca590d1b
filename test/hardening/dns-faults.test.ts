/**
 * DNS faults: the loopback DNS server answers SERVFAIL for, or never answers, exactly the names
 * a restriction queries (the client's PTR or its forward name, an RBL entry, the HELO name, the
 * sender or recipient domain, an MX host), and the session gets what a private Postfix 3.7 gave
 * with the same restriction and a SERVFAIL (a timeout is the same DNS_RETRY to Postfix):
 * reject_unknown_* answer 450 with the permanent reject's text, never 5xx and never 2xx;
 * reject_rbl_client and check_*_mx_access count a failed lookup as "nothing found" (a warning,
 * no reject), as spec/restrictions.md section 8 and smtpd_check.c say; a table entry for the
 * MX host's name still matches when its address lookup fails.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SmtpClient } from '../support/smtp-client.ts';
import { startTestGateway, ZONE, type TestGateway } from '../support/gateway.ts';

// Each name in two versions: `sf` answers SERVFAIL, `to` is never answered; a type after the
// fault limits it to that query type.
const FAULT_ZONE = `${ZONE}
5.0.0.127.in-addr.arpa.        SERVFAIL
8.0.0.127.in-addr.arpa.        TIMEOUT
7.0.0.127.in-addr.arpa.        PTR   fwd-sf.dns.test.
fwd-sf.dns.test.               SERVFAIL
9.0.0.127.in-addr.arpa.        PTR   fwd-to.dns.test.
fwd-to.dns.test.               TIMEOUT
*.sfrbl.test.                  SERVFAIL
*.torbl.test.                  TIMEOUT
sf.helo.test.                  SERVFAIL
to.helo.test.                  TIMEOUT
to.example.com.                TIMEOUT
rcpt-sf.example.net.           SERVFAIL
rcpt-to.example.net.           TIMEOUT
mxhost-sf.example.com.         MX    10 mxsf.example.com.
mxsf.example.com.              SERVFAIL
mxhost-to.example.com.         MX    10 mxto.example.com.
mxto.example.com.              TIMEOUT
mxhost-sf2.example.com.        MX    10 mxsf2.example.com.
mxsf2.example.com.             SERVFAIL
mxhost-to2.example.com.        MX    10 mxto2.example.com.
mxto2.example.com.             TIMEOUT
mx-sf-a.example.com.           SERVFAIL MX
mx-sf-a.example.com.           A     192.0.2.40
mx-to-a.example.com.           TIMEOUT MX
mx-to-a.example.com.           A     192.0.2.41
mx-sf-only.example.com.        SERVFAIL MX
mx-sf-only.example.com.        TXT   "no address records"
mx-to-only.example.com.        TIMEOUT MX
mx-to-only.example.com.        TXT   "no address records"
a-sf-mx.helo.test.             SERVFAIL A
a-sf-mx.helo.test.             MX    10 mx.example.com.
a-to-mx.helo.test.             TIMEOUT A
a-to-mx.helo.test.             MX    10 mx.example.com.
`;

// Permanent failures of the reject_unknown_* restrictions answer 550 here, so a temporary
// failure read as permanent would show as 5xx (Postfix answers 450 all the same).
const PERMANENT_550 = { unknown_address_reject_code: '550', unknown_client_reject_code: '550', unknown_hostname_reject_code: '550' };

const MX_ACCESS = { mx_access: { kind: 'exact' as const, source: 'mxsf.example.com REJECT bad mx host\nmxto.example.com REJECT bad mx host\n' } };

interface Fault {
  client: string;  // source address of the session (127.0.0.0/8, so mynetworks)
  helo: string;
  sender: string;
  recipient: string;
  reply: string;   // the RCPT reply
  warning?: RegExp; // a warning logged for the failed lookup
}

interface Scenario {
  label: string;
  parameters: Record<string, string>;
  sf: Fault;
  to: Fault;
}

const base = { client: '127.0.0.1', helo: 'client.example.org', sender: 'a@example.org', recipient: 'b@example.net' };

const SCENARIOS: Scenario[] = [
  {
    label: 'reject_unknown_client_hostname: a failed PTR lookup is 450 4.7.25',
    parameters: { smtpd_client_restrictions: 'reject_unknown_client_hostname' },
    sf: { ...base, client: '127.0.0.5', reply: '450 4.7.25 Client host rejected: cannot find your hostname, [127.0.0.5]' },
    to: { ...base, client: '127.0.0.8', reply: '450 4.7.25 Client host rejected: cannot find your hostname, [127.0.0.8]' },
  },
  {
    label: 'reject_unknown_client_hostname: a failed forward lookup of the PTR name is 450 4.7.25 with a warning',
    parameters: { smtpd_client_restrictions: 'reject_unknown_client_hostname' },
    sf: {
      ...base, client: '127.0.0.7', reply: '450 4.7.25 Client host rejected: cannot find your hostname, [127.0.0.7]',
      warning: /^warning: hostname fwd-sf\.dns\.test does not resolve to address 127\.0\.0\.7: Temporary failure in name resolution$/,
    },
    to: {
      ...base, client: '127.0.0.9', reply: '450 4.7.25 Client host rejected: cannot find your hostname, [127.0.0.9]',
      warning: /^warning: hostname fwd-to\.dns\.test does not resolve to address 127\.0\.0\.9: Temporary failure in name resolution$/,
    },
  },
  {
    label: 'reject_unknown_reverse_client_hostname: a failed PTR lookup is 450 4.7.1',
    parameters: { smtpd_client_restrictions: 'reject_unknown_reverse_client_hostname' },
    sf: { ...base, client: '127.0.0.5', reply: '450 4.7.1 Client host rejected: cannot find your reverse hostname, [127.0.0.5]' },
    to: { ...base, client: '127.0.0.8', reply: '450 4.7.1 Client host rejected: cannot find your reverse hostname, [127.0.0.8]' },
  },
  {
    label: 'reject_rhsbl_sender: a failed list lookup counts as not listed, with a warning',
    parameters: { smtpd_sender_restrictions: 'reject_rhsbl_sender sfrbl.test, reject_rhsbl_sender torbl.test' },
    sf: {
      ...base, sender: 'a@spammy.test', reply: '250 2.1.5 Ok',
      warning: /^warning: spammy\.test\.sfrbl\.test: RBL lookup error: Host or domain name not found\. Name service error for name=spammy\.test\.sfrbl\.test type=A: Host not found, try again$/,
    },
    to: {
      ...base, sender: 'a@spammy.test', reply: '250 2.1.5 Ok',
      warning: /^warning: spammy\.test\.torbl\.test: RBL lookup error: Host or domain name not found\. Name service error for name=spammy\.test\.torbl\.test type=A: Host not found, try again$/,
    },
  },
  {
    label: 'reject_rbl_client: a failed list lookup counts as not listed, with a warning',
    parameters: { smtpd_client_restrictions: 'reject_rbl_client sfrbl.test, reject_rbl_client torbl.test' },
    sf: {
      ...base, client: '127.0.0.2', reply: '250 2.1.5 Ok',
      warning: /^warning: 2\.0\.0\.127\.sfrbl\.test: RBL lookup error: Host or domain name not found\. Name service error for name=2\.0\.0\.127\.sfrbl\.test type=A: Host not found, try again$/,
    },
    to: {
      ...base, client: '127.0.0.2', reply: '250 2.1.5 Ok',
      warning: /^warning: 2\.0\.0\.127\.torbl\.test: RBL lookup error: Host or domain name not found\. Name service error for name=2\.0\.0\.127\.torbl\.test type=A: Host not found, try again$/,
    },
  },
  {
    label: 'reject_unknown_helo_hostname: a failed lookup is 450 4.7.1 Host not found',
    parameters: { smtpd_helo_restrictions: 'reject_unknown_helo_hostname' },
    sf: { ...base, helo: 'sf.helo.test', reply: '450 4.7.1 <sf.helo.test>: Helo command rejected: Host not found' },
    to: { ...base, helo: 'to.helo.test', reply: '450 4.7.1 <to.helo.test>: Helo command rejected: Host not found' },
  },
  {
    label: 'reject_unknown_sender_domain: a failed lookup is 450 4.1.8 Domain not found',
    parameters: { smtpd_sender_restrictions: 'reject_unknown_sender_domain' },
    sf: { ...base, sender: 'a@tempfail.example.com', reply: '450 4.1.8 <a@tempfail.example.com>: Sender address rejected: Domain not found' },
    to: { ...base, sender: 'a@to.example.com', reply: '450 4.1.8 <a@to.example.com>: Sender address rejected: Domain not found' },
  },
  {
    label: 'reject_unknown_sender_domain: a failed MX lookup is no deferral when the domain has an address (dns_lookup_l)',
    parameters: { smtpd_sender_restrictions: 'reject_unknown_sender_domain' },
    sf: { ...base, sender: 'a@mx-sf-a.example.com', reply: '250 2.1.5 Ok' },
    to: { ...base, sender: 'a@mx-to-a.example.com', reply: '250 2.1.5 Ok' },
  },
  {
    label: 'reject_unknown_sender_domain: a failed MX lookup and no address is 450, not the permanent 550',
    parameters: { smtpd_sender_restrictions: 'reject_unknown_sender_domain' },
    sf: { ...base, sender: 'a@mx-sf-only.example.com', reply: '450 4.1.8 <a@mx-sf-only.example.com>: Sender address rejected: Domain not found' },
    to: { ...base, sender: 'a@mx-to-only.example.com', reply: '450 4.1.8 <a@mx-to-only.example.com>: Sender address rejected: Domain not found' },
  },
  {
    label: 'reject_unknown_helo_hostname: a failed A lookup is no deferral when the name has an MX record',
    parameters: { smtpd_helo_restrictions: 'reject_unknown_helo_hostname' },
    sf: { ...base, helo: 'a-sf-mx.helo.test', reply: '250 2.1.5 Ok' },
    to: { ...base, helo: 'a-to-mx.helo.test', reply: '250 2.1.5 Ok' },
  },
  {
    label: 'reject_unknown_recipient_domain: a failed lookup is 450 4.1.2 Domain not found',
    parameters: { smtpd_recipient_restrictions: 'reject_unknown_recipient_domain' },
    sf: { ...base, recipient: 'b@rcpt-sf.example.net', reply: '450 4.1.2 <b@rcpt-sf.example.net>: Recipient address rejected: Domain not found' },
    to: { ...base, recipient: 'b@rcpt-to.example.net', reply: '450 4.1.2 <b@rcpt-to.example.net>: Recipient address rejected: Domain not found' },
  },
  {
    label: 'check_sender_mx_access: a failed MX lookup finds nothing to look up, with a warning',
    parameters: { smtpd_sender_restrictions: 'check_sender_mx_access hash:mx_access' },
    sf: {
      ...base, sender: 'a@tempfail.example.com', reply: '250 2.1.5 Ok',
      warning: /^warning: Unable to look up MX host for tempfail\.example\.com: Host not found, try again$/,
    },
    to: {
      ...base, sender: 'a@to.example.com', reply: '250 2.1.5 Ok',
      warning: /^warning: Unable to look up MX host for to\.example\.com: Host not found, try again$/,
    },
  },
  {
    label: 'check_sender_mx_access: an MX host whose address lookup fails is still matched by name',
    parameters: { smtpd_sender_restrictions: 'check_sender_mx_access hash:mx_access' },
    sf: { ...base, sender: 'a@mxhost-sf.example.com', reply: '554 5.7.1 <a@mxhost-sf.example.com>: Sender address rejected: bad mx host' },
    to: { ...base, sender: 'a@mxhost-to.example.com', reply: '554 5.7.1 <a@mxhost-to.example.com>: Sender address rejected: bad mx host' },
  },
  {
    label: 'check_sender_mx_access: an MX host whose address lookup fails and whose name is not listed is skipped, with a warning',
    parameters: { smtpd_sender_restrictions: 'check_sender_mx_access hash:mx_access' },
    sf: {
      ...base, sender: 'a@mxhost-sf2.example.com', reply: '250 2.1.5 Ok',
      warning: /^warning: Unable to look up MX host mxsf2\.example\.com for Sender address a@mxhost-sf2\.example\.com: Temporary failure in name resolution$/,
    },
    to: {
      ...base, sender: 'a@mxhost-to2.example.com', reply: '250 2.1.5 Ok',
      warning: /^warning: Unable to look up MX host mxto2\.example\.com for Sender address a@mxhost-to2\.example\.com: Temporary failure in name resolution$/,
    },
  },
  {
    label: 'check_helo_mx_access and check_recipient_mx_access: a failed MX lookup is no reject',
    parameters: { smtpd_helo_restrictions: 'check_helo_mx_access hash:mx_access', smtpd_recipient_restrictions: 'check_recipient_mx_access hash:mx_access' },
    sf: {
      ...base, helo: 'sf.helo.test', recipient: 'b@rcpt-sf.example.net', reply: '250 2.1.5 Ok',
      warning: /^warning: Unable to look up MX host for rcpt-sf\.example\.net: Host not found, try again$/,
    },
    to: {
      ...base, helo: 'to.helo.test', recipient: 'b@rcpt-to.example.net', reply: '250 2.1.5 Ok',
      warning: /^warning: Unable to look up MX host for rcpt-to\.example\.net: Host not found, try again$/,
    },
  },
];

test('with the same parameters a domain that does not exist gets the permanent 550', async (t) => {
  const gw = await startTestGateway({ ...PERMANENT_550, smtpd_sender_restrictions: 'reject_unknown_sender_domain' });
  t.after(() => gw.stop());
  gw.dns.setZone(FAULT_ZONE);
  assert.equal(await rcptReply(gw, { ...base, sender: 'a@nx.example.com', reply: '' }), '550 5.1.8 <a@nx.example.com>: Sender address rejected: Domain not found');
});

async function rcptReply(gw: TestGateway, fault: Fault): Promise<string> {
  const c = await SmtpClient.connect(gw.port, { localAddress: fault.client });
  try {
    await c.read(10_000);
    await c.command(`EHLO ${fault.helo}`, 10_000);
    const mail = await c.command(`MAIL FROM:<${fault.sender}>`, 10_000);
    if (mail.code !== 250) return `MAIL: ${mail.code} ${mail.enh} ${mail.text}`;
    const r = await c.command(`RCPT TO:<${fault.recipient}>`, 10_000);
    return `${r.code} ${r.enh} ${r.text}`;
  } finally {
    c.close();
  }
}

describe('DNS faults', { concurrency: 3 }, () => {
  for (const scenario of SCENARIOS) {
    test(`${scenario.label} (SERVFAIL and no answer alike)`, async (t) => {
      const gw = await startTestGateway({ ...PERMANENT_550, ...scenario.parameters }, { tables: MX_ACCESS });
      t.after(() => gw.stop());
      gw.dns.setZone(FAULT_ZONE);
      const [sf, to] = await Promise.all([rcptReply(gw, scenario.sf), rcptReply(gw, scenario.to)]);
      assert.equal(sf, scenario.sf.reply, 'SERVFAIL');
      assert.equal(to, scenario.to.reply, 'no answer');
      for (const fault of [scenario.sf, scenario.to]) {
        if (fault.warning) assert.ok(gw.logLines().some((l) => fault.warning!.test(l)), `${fault.warning}:\n${gw.logLines().join('\n')}`);
      }
      // The queries really failed: the server saw them and answered SERVFAIL or nothing.
      assert.ok(gw.dns.queries.some((q) => q.rcode === 'SERVFAIL'));
      assert.ok(gw.dns.queries.some((q) => q.rcode === 'TIMEOUT'));
    });
  }
});

// A failed lookup next to other decisions, with the replies of a private Postfix 3.7; each
// script runs with the SERVFAIL sender domain and again with the one that is never answered.
const DECISIONS: ReadonlyArray<{ label: string; parameters: Record<string, string>; stranger?: boolean; script: string[]; replies: string[] }> = [
  {
    label: 'a later permit does not lift the deferral: 450 4.1.8, never 250',
    parameters: { smtpd_sender_restrictions: 'reject_unknown_sender_domain, permit' },
    script: ['MAIL FROM:<a@DOMAIN>', 'RCPT TO:<b@example.net>'],
    replies: ['250 2.1.0 Ok', '450 4.1.8 <a@DOMAIN>: Sender address rejected: Domain not found'],
  },
  {
    label: 'a later permanent reject wins over the deferral (defer_if_permit)',
    parameters: { smtpd_sender_restrictions: 'reject_unknown_sender_domain, reject' },
    script: ['MAIL FROM:<a@DOMAIN>', 'RCPT TO:<b@example.net>'],
    replies: ['250 2.1.0 Ok', '554 5.7.1 <a@DOMAIN>: Sender address rejected: Access denied'],
  },
  {
    label: 'unknown_address_tempfail_action = defer answers 450 before a later reject',
    parameters: { smtpd_sender_restrictions: 'reject_unknown_sender_domain, reject', unknown_address_tempfail_action: 'defer' },
    script: ['MAIL FROM:<a@DOMAIN>', 'RCPT TO:<b@example.net>'],
    replies: ['250 2.1.0 Ok', '450 4.1.8 <a@DOMAIN>: Sender address rejected: Domain not found'],
  },
  {
    label: 'relay control still refuses a stranger 554, and the deferral holds for our own domain',
    parameters: {
      smtpd_sender_restrictions: 'reject_unknown_sender_domain',
      smtpd_relay_restrictions: 'permit_mynetworks, reject_unauth_destination',
      smtpd_authorized_xclient_hosts: '127.0.0.0/8',
    },
    stranger: true,
    script: ['MAIL FROM:<a@DOMAIN>', 'RCPT TO:<b@victim.net>', 'RCPT TO:<b@mx.example.test>'],
    replies: ['250 2.1.0 Ok', '554 5.7.1 <b@victim.net>: Relay access denied', '450 4.1.8 <a@DOMAIN>: Sender address rejected: Domain not found'],
  },
];

async function replies(gw: TestGateway, stranger: boolean, script: string[]): Promise<string[]> {
  const c = await SmtpClient.connect(gw.port);
  try {
    await c.read(10_000);
    await c.command('EHLO client.example.org', 10_000);
    if (stranger) {
      assert.equal((await c.command('XCLIENT ADDR=198.51.100.7 NAME=client.example.org', 10_000)).code, 220);
      await c.command('EHLO client.example.org', 10_000);
    }
    const out: string[] = [];
    for (const line of script) {
      const r = await c.command(line, 10_000);
      out.push(`${r.code} ${r.enh} ${r.text}`);
    }
    return out;
  } finally {
    c.close();
  }
}

describe('DNS faults next to other decisions', { concurrency: 2 }, () => {
  for (const d of DECISIONS) {
    test(`${d.label} (SERVFAIL and no answer alike)`, async (t) => {
      const gw = await startTestGateway({ ...PERMANENT_550, ...d.parameters });
      t.after(() => gw.stop());
      gw.dns.setZone(FAULT_ZONE);
      const run = (domain: string) => replies(gw, d.stranger === true, d.script.map((l) => l.replace('DOMAIN', domain)));
      const [sf, to] = await Promise.all([run('tempfail.example.com'), run('to.example.com')]);
      assert.deepEqual(sf, d.replies.map((r) => r.replace('DOMAIN', 'tempfail.example.com')), 'SERVFAIL');
      assert.deepEqual(to, d.replies.map((r) => r.replace('DOMAIN', 'to.example.com')), 'no answer');
    });
  }
});
