/**
 * The DNS answers one SMTP session has fetched for its restrictions (policy/dns-answers.ts):
 * asked through the snapshot's resolver, kept for the rest of the session, so the RCPT after
 * the first does not ask again (Postfix keeps RBL answers per smtpd process likewise).
 * Exports: SessionDnsAnswers.
 * Bounded: past MAX_ANSWERS the oldest answers are dropped, and are asked again if needed.
 */
import type { DnsAnswer, DnsAnswers, DnsQuery, DnsQueryType } from '../policy/dns-answers.ts';
import type { DnsResolver } from './resolver.ts';

const MAX_ANSWERS = 1000;

export class SessionDnsAnswers implements DnsAnswers {
  readonly #answers = new Map<string, DnsAnswer>();

  get(type: DnsQueryType, name: string): DnsAnswer | undefined {
    return this.#answers.get(`${type} ${name}`);
  }

  /** fetch - ask every query at once; every answer, retry included, is kept. */
  async fetch(queries: readonly DnsQuery[], resolver: DnsResolver): Promise<void> {
    const answers = await Promise.all(queries.map((q) => ask(resolver, q)));
    queries.forEach((q, i) => {
      if (this.#answers.size >= MAX_ANSWERS) this.#answers.delete(this.#answers.keys().next().value as string);
      this.#answers.set(`${q.type} ${q.name}`, answers[i]);
    });
  }
}

function ask(resolver: DnsResolver, q: DnsQuery): Promise<DnsAnswer> {
  switch (q.type) {
    case 'A': return resolver.a(q.name);
    case 'AAAA': return resolver.aaaa(q.name);
    case 'MX': return resolver.mx(q.name);
    case 'NS': return resolver.ns(q.name);
    case 'TXT': return resolver.txt(q.name);
  }
}
