/**
 * What one SMTP session runs under: the parameters, the compiled policy and the resolver of
 * one policy revision. Built off to the side and swapped in one assignment (design.md,
 * "Policy"); a session pins it at connect and re-pins only between mail transactions, so a
 * transaction in progress finishes under the snapshot it started with.
 * Exports SmtpdSnapshot and buildSmtpdSnapshot.
 * Tables named in parameters come from the catalog given (the stored tables); every table is
 * compiled into the snapshot, so a session never reads the database.
 */
import type { MainCf } from '../config/main-cf.ts';
import { createResolver, type DnsResolver } from '../dns/resolver.ts';
import { dnsHostLookup, systemHostLookup, type HostLookup } from '../dns/host-lookup.ts';
import { compilePolicy, type Policy } from '../policy/compile-policy.ts';
import { createTableCatalog, type TableCatalog } from '../maps/table-catalog.ts';
import { buildContentChecks, type ContentChecks } from '../cleanup/content-checks.ts';
import { parseNetworkList, type NetworkList } from '../policy/network-list.ts';
import { parseDomainList, type DomainList } from '../policy/domain-list.ts';
import { readSmtpdSettings, type SmtpdSettings } from './smtpd-settings.ts';
import { readSmtpdSaslSettings, type SmtpdSaslSettings } from '../sasl/smtpd-sasl-settings.ts';
import { buildDeliverySettings, type DeliverySettings } from '../delivery/delivery-settings.ts';

export interface SmtpdSnapshot {
  revision: number;                    // policy revision it was built from
  takenAt: Date;                       // when the gateway swapped it in
  mainCf: MainCf;                      // every parameter, changed or default
  settings: SmtpdSettings;             // the SMTP server's parameters, parsed
  sasl: SmtpdSaslSettings;             // the SASL ones
  policy: Policy;                      // compiled restriction lists
  resolver: DnsResolver;               // dns_resolvers with dns_timeout
  hostLookup: HostLookup;              // client names: the system's name service, or dns_resolvers when set
  authorizedXclientHosts: NetworkList; // smtpd_authorized_xclient_hosts
  bareNewlineExclusions: NetworkList;  // smtpd_forbid_bare_newline_exclusions
  clientEventLimitExceptions: NetworkList; // smtpd_client_event_limit_exceptions: no anvil limits
  fastFlushDomains: DomainList;        // fast_flush_domains, for ETRN
  contentChecks: ContentChecks;        // header_checks, body_checks ... and their limits, for cleanup
  delivery: DeliverySettings;          // transport_maps, relayhost, retry schedule: for the queue manager
}

export type SnapshotBuild = { ok: true; snapshot: SmtpdSnapshot } | { ok: false; errors: string[] };

/** buildSmtpdSnapshot - compile everything a session needs; errors leave nothing half-built. */
export function buildSmtpdSnapshot(mainCf: MainCf, revision: number, tables?: TableCatalog, options: { strict?: boolean } = {}): SnapshotBuild {
  // Postfix names the registry does not carry (double_bounce_sender) read as empty.
  const compiled = compilePolicy({ get: (name) => (mainCf.has(name) ? mainCf.get(name) : '') }, {
    tables,
    strict: options.strict ?? false,
    ...(mainCf.isChanged('local_recipient_maps') ? {} : { localRecipientMapsDefault: mainCf.get('local_recipient_maps') }),
  });
  if (!compiled.ok) return { ok: false, errors: compiled.errors };
  const catalog = tables ?? createTableCatalog(null);
  const errors: string[] = [];
  const parentMatching = mainCf.list('parent_domain_matches_subdomains');
  const network = (name: string): NetworkList | null => {
    const r = parseNetworkList(name, mainCf.get(name), parentMatching.includes(name), catalog);
    if (!r.ok) errors.push(...r.errors);
    return r.ok ? r.list : null;
  };
  const authorizedXclientHosts = network('smtpd_authorized_xclient_hosts');
  const bareNewlineExclusions = network('smtpd_forbid_bare_newline_exclusions');
  const clientEventLimitExceptions = network('smtpd_client_event_limit_exceptions');
  const ff = parseDomainList('fast_flush_domains', mainCf.get('fast_flush_domains'), parentMatching.includes('fast_flush_domains') ? 'parent' : 'dot', catalog);
  if (!ff.ok) errors.push(...ff.errors);
  const sasl = readSmtpdSaslSettings(mainCf);
  if (!sasl.ok) errors.push(...sasl.errors);
  const content = buildContentChecks(mainCf, catalog);
  if (!content.ok) errors.push(...content.errors);
  const delivery = buildDeliverySettings(mainCf, catalog);
  if (!delivery.ok) errors.push(...delivery.errors);
  if (!ff.ok || !sasl.ok || !authorizedXclientHosts || !bareNewlineExclusions || !clientEventLimitExceptions || !content.ok || !delivery.ok) return { ok: false, errors };
  const servers = mainCf.list('dns_resolvers');
  const timeoutMs = mainCf.seconds('dns_timeout') * 1000;
  const resolver = createResolver({ servers, timeoutMs, tries: 2 });
  return {
    ok: true,
    snapshot: Object.freeze({
      revision,
      takenAt: new Date(),
      mainCf,
      settings: readSmtpdSettings(mainCf),
      sasl: sasl.settings,
      policy: compiled.policy,
      resolver,
      hostLookup: servers.length ? dnsHostLookup(resolver) : systemHostLookup(timeoutMs * 2),
      authorizedXclientHosts,
      bareNewlineExclusions,
      clientEventLimitExceptions,
      fastFlushDomains: ff.list,
      contentChecks: content.checks,
      delivery: delivery.settings,
    }),
  };
}
