/**
 * The queue manager's and smtp client's view of one configuration: transport_maps and
 * relay_domains opened through the table catalog, relayhost, the retry schedule and lifetimes,
 * as trivial-rewrite, qmgr and smtp read main.cf.
 * Exports DeliverySettings, TransportLimits, buildDeliverySettings, transportLimits. Reads: transport_maps, relayhost,
 * relay_domains (with parent_domain_matches_subdomains), relay_transport,
 * minimal_backoff_time, maximal_backoff_time, queue_run_delay, maximal_queue_lifetime,
 * bounce_queue_lifetime, delay_warning_time, soft_bounce, always_bcc, myhostname, default_transport,
 * initial_destination_concurrency, default_destination_concurrency_limit,
 * default_destination_concurrency_failed_cohort_limit, default_destination_recipient_limit and
 * their smtp_, relay_ and lmtp_ forms, the smtp_ and lmtp_ connection cache parameters.
 * A transport table or relay_domains table that cannot be opened refuses the configuration, as
 * trivial-rewrite would not start.
 */
import type { MainCf } from '../config/main-cf.ts';
import { LIMITED_TRANSPORTS } from '../config/parameters/queue-delivery.ts';
import type { TableCatalog } from '../maps/table-catalog.ts';
import type { LookupTable } from '../maps/lookup-table.ts';
import { parseDomainList, type DomainList } from '../policy/domain-list.ts';
import type { ConcurrencyLimits } from './destination-concurrency.ts';
import type { CacheLimits } from './connection-cache.ts';

/** What qmgr applies per transport: its destination concurrency and recipient limits. */
export interface TransportLimits {
  concurrency: ConcurrencyLimits;
  recipientLimit: number; // <transport>_destination_recipient_limit, 0 = no limit
}

export interface DeliverySettings {
  transportMaps: LookupTable[];  // transport_maps, searched in order
  relayDomains: DomainList;      // relay_domains: their recipients take relay_transport
  relayhost: string;             // first relayhost item, '' for none
  minimalBackoffMs: number;      // minimal_backoff_time
  maximalBackoffMs: number;      // maximal_backoff_time
  queueRunDelayMs: number;       // queue_run_delay: how often deferred/ is scanned
  maximalQueueLifetimeMs: number; // maximal_queue_lifetime
  bounceQueueLifetimeMs: number; // bounce_queue_lifetime, for null-sender messages
  delayWarningMs: number;        // delay_warning_time, 0 = never
  softBounce: boolean;           // soft_bounce: a 5xx defers instead
  alwaysBcc: string;             // always_bcc, '' for none
  myhostname: string;            // EHLO name and Reporting-MTA
  defaultTransport: string;      // default_transport: transport[:nexthop] without a transport_maps entry
  relayTransport: string;        // relay_transport: the same, for relay_domains
  limits: Record<string, TransportLimits>; // smtp, relay, lmtp; others take the default_ values
  defaultLimits: TransportLimits;
  connectionCache: { smtp: CacheLimits; lmtp: CacheLimits };
}

/** buildDeliverySettings - open the delivery tables; every table that fails is reported. */
export function buildDeliverySettings(
  mainCf: MainCf, catalog: TableCatalog,
): { ok: true; settings: DeliverySettings } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const transportMaps: LookupTable[] = [];
  for (const spec of mainCf.list('transport_maps')) {
    const r = catalog.open(spec);
    if (r.ok) transportMaps.push(r.table);
    else errors.push(...r.errors.map((e) => `transport_maps: ${e.name}: ${e.text}`));
  }
  const parentMatches = new Set(mainCf.list('parent_domain_matches_subdomains').map((name) => name.toLowerCase()));
  const relayDomains = parseDomainList('relay_domains', mainCf.get('relay_domains'), parentMatches.has('relay_domains') ? 'parent' : 'dot', catalog);
  if (!relayDomains.ok) errors.push(...relayDomains.errors);
  if (errors.length || !relayDomains.ok) return { ok: false, errors };
  const ms = (name: string) => mainCf.seconds(name) * 1000;
  const initial = mainCf.int('initial_destination_concurrency');
  const limitsOf = (prefix: string): TransportLimits => ({
    concurrency: {
      limit: mainCf.int(`${prefix}_destination_concurrency_limit`),
      initial,
      failedCohortLimit: mainCf.int(`${prefix}_destination_concurrency_failed_cohort_limit`),
    },
    recipientLimit: mainCf.int(`${prefix}_destination_recipient_limit`),
  });
  const cacheOf = (prefix: 'smtp' | 'lmtp'): CacheLimits => ({
    onDemand: mainCf.bool(`${prefix}_connection_cache_on_demand`),
    idleMs: ms(`${prefix}_connection_cache_time_limit`),
    reuseCount: mainCf.int(`${prefix}_connection_reuse_count_limit`),
    reuseMs: ms(`${prefix}_connection_reuse_time_limit`),
  });
  return {
    ok: true,
    settings: {
      transportMaps,
      relayDomains: relayDomains.list,
      relayhost: mainCf.list('relayhost')[0] ?? '',
      minimalBackoffMs: ms('minimal_backoff_time'),
      maximalBackoffMs: ms('maximal_backoff_time'),
      queueRunDelayMs: ms('queue_run_delay'),
      maximalQueueLifetimeMs: ms('maximal_queue_lifetime'),
      bounceQueueLifetimeMs: ms('bounce_queue_lifetime'),
      delayWarningMs: ms('delay_warning_time'),
      softBounce: mainCf.bool('soft_bounce'),
      alwaysBcc: mainCf.get('always_bcc').trim(),
      myhostname: mainCf.get('myhostname'),
      defaultTransport: mainCf.get('default_transport').trim(),
      relayTransport: mainCf.get('relay_transport').trim(),
      limits: Object.fromEntries(LIMITED_TRANSPORTS.map((t) => [t, limitsOf(t)])),
      defaultLimits: limitsOf('default'),
      connectionCache: { smtp: cacheOf('smtp'), lmtp: cacheOf('lmtp') },
    },
  };
}

/** transportLimits - the limits qmgr applies to a transport's destinations. */
export function transportLimits(settings: DeliverySettings, transport: string): TransportLimits {
  return settings.limits[transport] ?? settings.defaultLimits;
}
