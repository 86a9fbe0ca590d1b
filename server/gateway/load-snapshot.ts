/**
 * The stored configuration compiled for a process that runs it, as master and its daemons
 * each read main.cf: the SMTP front's whole snapshot (restrictions, tables, content checks,
 * delivery), or only the delivery settings for the queue manager's thread. A configuration
 * that does not compile is an error value, never half a snapshot.
 * Exports loadSnapshot, loadDeliverySnapshot.
 */
import { MainCf } from '../config/main-cf.ts';
import { loadChangedParameters } from '../config/parameter-store.ts';
import { createPrismaClient } from '../db/client.ts';
import { buildDeliverySnapshot, type DeliverySnapshot } from '../delivery/delivery-snapshot.ts';
import { createTableCatalog, type CompiledTableCache, type CountTableHits, type TableCatalog } from '../maps/table-catalog.ts';
import { openTableStore } from '../maps/table-store.ts';
import { buildSmtpdSnapshot, type SmtpdSnapshot } from '../smtp/smtpd-snapshot.ts';

type Loaded<S> = { ok: true; snapshot: S } | { ok: false; error: string };
type Build<S> = (mainCf: MainCf, revision: number, tables: TableCatalog) => { ok: true; snapshot: S } | { ok: false; errors: string[] };

/**
 * loadSnapshot - the stored parameters compiled into the SMTP front's snapshot, or why they
 * cannot be; with a cache, stored tables that did not change since the last snapshot are not
 * compiled again; with countHits, the stored tables count their hits.
 */
export function loadSnapshot(dataDir: string, cache?: CompiledTableCache, countHits?: CountTableHits): Promise<Loaded<SmtpdSnapshot>> {
  return loadStored(dataDir, buildSmtpdSnapshot, cache, countHits);
}

/** loadDeliverySnapshot - the stored parameters as the queue manager needs them: transport_maps and relay_domains its only tables. */
export function loadDeliverySnapshot(dataDir: string, cache?: CompiledTableCache): Promise<Loaded<DeliverySnapshot>> {
  return loadStored(dataDir, buildDeliverySnapshot, cache);
}

async function loadStored<S>(dataDir: string, build: Build<S>, cache?: CompiledTableCache, countHits?: CountTableHits): Promise<Loaded<S>> {
  const prisma = createPrismaClient(dataDir);
  try {
    const changed = await loadChangedParameters(prisma);
    const last = await prisma.policyRevision.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
    const mainCf = new MainCf(changed);
    const broken = mainCf.errors();
    if (broken.length) return { ok: false, error: broken.map((e) => e.error).join('; ') };
    const store = openTableStore(dataDir);
    const catalog = createTableCatalog(store, cache, countHits);
    let built: ReturnType<Build<S>>;
    try {
      built = build(mainCf, last?.id ?? 0, catalog);
    } finally {
      store.close();
    }
    if (!built.ok) return { ok: false, error: built.errors.join('; ') };
    catalog.done();
    return { ok: true, snapshot: built.snapshot };
  } finally {
    await prisma.$disconnect();
  }
}
