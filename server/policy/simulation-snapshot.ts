/**
 * The snapshot the policy simulator runs on: the stored policy ("live"), or a draft over it
 * (parameters changed or put back to their defaults, table contents in place of the stored
 * ones), built by buildSmtpdSnapshot() exactly as the gateway's reload builds it
 * (server/gateway/load-snapshot.ts loadSnapshot), so a draft the gateway would refuse is
 * refused here with the gateway's own errors. Every table is wrapped so that its lookups are
 * reported to the trace being recorded; the wrapper answers exactly what the table answers.
 * Exports: DraftPolicy, SimulationPolicy, LookupListener, SimulationSnapshot, buildSimulationSnapshot.
 * Reads the parameter rows and stored tables of a data folder; writes nothing.
 * Compiled stored tables are kept per data folder between simulations (recompiled when their
 * stamp moves, as the gateway's reload does), so a simulation against a large table costs its
 * compile once.
 * XXX the kept tables live as long as the process; a console serving many data folders would
 * want a bound.
 */
import { MainCf } from '../config/main-cf.ts';
import type { CompileTableResult, LookupResult, LookupTable } from '../maps/lookup-table.ts';
import { observeLookups } from '../maps/observe-lookups.ts';
import { createTableCatalog, type CompiledTableCache, type TableCatalog } from '../maps/table-catalog.ts';
import { openTableStore, type StoredTable } from '../maps/table-store.ts';
import { createPendingTableStore } from '../policy-files/pending-table-store.ts';
import { checkPolicy } from '../policy-files/check-policy.ts';
import { buildSmtpdSnapshot, type SmtpdSnapshot } from '../smtp/smtpd-snapshot.ts';

export interface DraftPolicy {
  readonly parameters?: Readonly<Record<string, string | null>>; // new values; null puts the parameter back to its default
  readonly tables?: readonly StoredTable[];                      // contents in place of the stored table of that name (or new)
}

export type SimulationPolicy = { readonly kind: 'live' } | { readonly kind: 'draft'; readonly draft: DraftPolicy };

/** LookupListener - where table lookups are reported; `current` is swapped per recorded run. */
export interface LookupListener {
  current: { noteLookup(table: string, key: string, result: LookupResult): void } | null;
}

export type SimulationSnapshot =
  | {
      ok: true;
      snapshot: SmtpdSnapshot;
      revision: number;          // the stored revision it is (or the draft is based on)
      parameters: Record<string, string>; // the parameter rows it was built from
      problems: string[];        // what the strict check of a save refuses in it, and the compiler's warnings
    }
  | { ok: false; errors: string[]; problems: string[] };

const tableCaches = new Map<string, CompiledTableCache>();

/** buildSimulationSnapshot - compile the live or draft policy of a data folder; errors are the gateway's. */
export function buildSimulationSnapshot(dataDir: string, policy: SimulationPolicy, listener: LookupListener): SimulationSnapshot {
  const store = openTableStore(dataDir, { readonly: true });
  try {
    const stored = store.readParameters();
    const parameters = { ...stored.parameters };
    const draftTables = new Map<string, StoredTable>();
    if (policy.kind === 'draft') {
      for (const [name, value] of Object.entries(policy.draft.parameters ?? {})) {
        if (value === null) delete parameters[name];
        else parameters[name] = value.trim(); // as postconf -e stores it
      }
      for (const table of policy.draft.tables ?? []) draftTables.set(table.name, table);
    }
    const mainCf = new MainCf(parameters);
    const broken = mainCf.errors();
    if (broken.length) return { ok: false, errors: broken.map((e) => e.error), problems: [] };

    let cache = tableCaches.get(dataDir);
    if (cache === undefined) tableCaches.set(dataDir, (cache = new Map()));
    const pending = createPendingTableStore(draftTables, store);
    const catalog = createTableCatalog({
      compile: (type, name) => pending.compile(type, name),
      stamp: (name) => (draftTables.has(name) ? null : store.stamp(name)), // a draft table is never kept
    }, cache);
    const traced = tracedCatalog(catalog, listener);
    const built = buildSmtpdSnapshot(mainCf, stored.revision, traced);
    if (!built.ok) return { ok: false, errors: built.errors, problems: [] };
    catalog.done();
    const check = checkPolicy(parameters, traced);
    const refused = policy.kind === 'draft' ? 'saving would be refused' : 'a change would now be refused';
    const problems = [...check.errors.map((p) => `${refused}: ${p.text}`), ...check.warnings.map((p) => p.text)];
    return { ok: true, snapshot: built.snapshot, revision: stored.revision, parameters, problems };
  } finally {
    store.close();
  }
}

// The same tables, each reporting its lookups to the listener's current trace.
function tracedCatalog(catalog: TableCatalog, listener: LookupListener): TableCatalog {
  const opened = new Map<string, CompileTableResult>();
  return {
    open(spec) {
      let result = opened.get(spec);
      if (result === undefined) {
        const inner = catalog.open(spec);
        result = inner.ok ? { ...inner, table: tracedTable(inner.table, spec, listener) } : inner;
        opened.set(spec, result);
      }
      return result;
    },
  };
}

function tracedTable(table: LookupTable, spec: string, listener: LookupListener): LookupTable {
  return observeLookups(table, (key, result) => listener.current?.noteLookup(spec, key, result));
}
