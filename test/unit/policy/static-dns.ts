/**
 * DNS answers from plain data, for policy unit tests: the session's DnsAnswers
 * (server/policy/dns-answers.ts) built from a zone written inline, like the harness zone of
 * test/fixtures/dns/zone.txt. Keys are `TYPE name`: `'A 10.0.0.127.rbl.test': ['127.0.0.2']`,
 * `'TXT ...': ['text']`, `'MX example.com': [{ exchange, priority }]`; `'SERVFAIL name': true`
 * makes every query of that name answer retry, `'SERVFAIL MX name': true` only that type.
 * Anything else answers notfound.
 * Exports: StaticZone, staticDns, settleDns.
 * settleDns() plays the SMTP front's part of the contract: run the check, answer the queries
 * it asks for from the zone, run it again, until it decides.
 */
import type { DnsAnswer, DnsAnswers, DnsQuery, DnsQueryType } from '../../../server/policy/dns-answers.ts';
import type { MxRecord } from '../../../server/dns/resolver.ts';
import type { CheckVerdict } from '../../../server/policy/smtpd-check.ts';

export type StaticZone = Readonly<Record<string, readonly string[] | readonly MxRecord[] | true>>;

/** staticDns - every query answered from the zone: found, retry for SERVFAIL names, else notfound. */
export function staticDns(zone: StaticZone): DnsAnswers {
  return { get: (type, name) => answerOf(zone, type, name) };
}

/**
 * settleDns - run a check as the front does: first with no answers, then with the answers to
 * each round of queries it asks for, until the verdict is not 'dns'. Returns the verdict and
 * the queries of each round, as `TYPE name`.
 */
export function settleDns(zone: StaticZone, run: (dns: DnsAnswers) => CheckVerdict): { verdict: CheckVerdict; rounds: string[][] } {
  const known = new Map<string, DnsAnswer>();
  const dns: DnsAnswers = { get: (type, name) => known.get(`${type} ${name}`) };
  const rounds: string[][] = [];
  for (;;) {
    const verdict = run(dns);
    if (verdict.kind !== 'dns') return { verdict, rounds };
    if (rounds.length === 20) throw new Error(`still asking after 20 rounds: ${JSON.stringify(rounds)}`);
    rounds.push(verdict.queries.map((q: DnsQuery) => `${q.type} ${q.name}`));
    for (const q of verdict.queries) {
      const key = `${q.type} ${q.name}`;
      if (known.has(key)) throw new Error(`asked again for ${key}, which it was given`);
      known.set(key, answerOf(zone, q.type, q.name));
    }
  }
}

function answerOf(zone: StaticZone, type: DnsQueryType, name: string): DnsAnswer {
  if (zone[`SERVFAIL ${name}`] !== undefined || zone[`SERVFAIL ${type} ${name}`] !== undefined) {
    return {
      status: 'retry',
      code: 'ESERVFAIL',
      reason: `Host or domain name not found. Name service error for name=${name} type=${type}: Host not found, try again`,
    };
  }
  const records = zone[`${type} ${name}`];
  if (records === undefined || records === true || records.length === 0) return { status: 'notfound' };
  return type === 'MX'
    ? { status: 'found', records: [...(records as readonly MxRecord[])] }
    : { status: 'found', records: [...(records as readonly string[])] };
}
