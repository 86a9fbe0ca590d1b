/**
 * DNS as the restrictions see it: answers already known for the session, looked up by query.
 * Evaluation stays a pure function: a restriction whose answer is not known yet returns
 * `{ kind: 'dns', queries }`, the front fetches the answers (server/dns/session-dns-answers.ts)
 * and runs the request again, which then goes one step further. Results keep Postfix's three
 * outcomes, found, notfound and retry; a retry is never read as notfound.
 * Exports: DnsQueryType, DnsQuery, DnsAnswer, DnsAnswers, NO_DNS_ANSWERS, askDns.
 */
import type { DnsResult, MxRecord } from '../dns/resolver.ts';

export type DnsQueryType = 'A' | 'AAAA' | 'MX' | 'NS' | 'TXT';

export interface DnsQuery {
  readonly type: DnsQueryType;
  readonly name: string; // absolute, lowercase, without the trailing dot
}

export type DnsAnswer = DnsResult<string> | DnsResult<MxRecord>;

export interface DnsAnswers {
  /** get - the answer to a query, or undefined when it has not been asked yet. */
  get(type: DnsQueryType, name: string): DnsAnswer | undefined;
}

/** NO_DNS_ANSWERS - nothing known: every DNS restriction asks. */
export const NO_DNS_ANSWERS: DnsAnswers = Object.freeze({ get: () => undefined });

/**
 * askDns - the answers to several queries, or the queries still missing (all of them, so the
 * front fetches them in parallel). A-style types answer addresses, MX answers MxRecords.
 */
export function askDns(answers: DnsAnswers, queries: readonly DnsQuery[]): { known: DnsAnswer[] } | { missing: DnsQuery[] } {
  const known: DnsAnswer[] = [];
  const missing: DnsQuery[] = [];
  for (const q of queries) {
    const a = answers.get(q.type, q.name);
    if (a === undefined) missing.push(q);
    else known.push(a);
  }
  return missing.length ? { missing } : { known };
}
