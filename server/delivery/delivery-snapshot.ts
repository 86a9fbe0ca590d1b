/**
 * What the queue manager runs under: the parameters, the delivery settings and the resolver of
 * one policy revision, without the smtpd restrictions and their tables. qmgr and smtp open only
 * transport_maps, so the delivery thread does not hold a second copy of a million-entry policy
 * and takes a reload in the time it needs to read main.cf.
 * Exports DeliverySnapshot, buildDeliverySnapshot. The gateway's own SmtpdSnapshot is one too.
 */
import type { MainCf } from '../config/main-cf.ts';
import { createResolver, type DnsResolver } from '../dns/resolver.ts';
import { createTableCatalog, type TableCatalog } from '../maps/table-catalog.ts';
import { buildDeliverySettings, type DeliverySettings } from './delivery-settings.ts';

export interface DeliverySnapshot {
  revision: number;           // policy revision it was built from
  mainCf: MainCf;             // every parameter: the notices read theirs
  resolver: DnsResolver;      // dns_resolvers with dns_timeout: MX and A lookups of next hops
  delivery: DeliverySettings; // transport_maps, relay_domains, relayhost, retry schedule, limits
}

/** buildDeliverySnapshot - the delivery settings of mainCf, or why its transport or relay_domains tables do not open. */
export function buildDeliverySnapshot(
  mainCf: MainCf, revision: number, tables?: TableCatalog,
): { ok: true; snapshot: DeliverySnapshot } | { ok: false; errors: string[] } {
  const delivery = buildDeliverySettings(mainCf, tables ?? createTableCatalog(null));
  if (!delivery.ok) return delivery;
  return {
    ok: true,
    snapshot: Object.freeze({
      revision,
      mainCf,
      resolver: createResolver({ servers: mainCf.list('dns_resolvers'), timeoutMs: mainCf.seconds('dns_timeout') * 1000, tries: 2 }),
      delivery: delivery.settings,
    }),
  };
}
