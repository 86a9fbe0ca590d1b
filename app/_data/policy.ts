/**
 * The Policy page's reads: every smtpd_*_restrictions list and declared restriction class as
 * steps (restriction-steps.ts), smtpd_delay_reject, the restrictions a step may name (from
 * the RESTRICTIONS table, with the requests each list runs at, so the picker offers only what
 * can decide there) and the stored tables a check_*_access step may use. Also turns the
 * compiler's messages into errors attached to a list and step. Plain objects out.
 * Exports getPolicyEditorData, locateConfigurationErrors, PolicyEditorData, PolicyListView,
 * RestrictionChoice, StoredTableChoice, LocatedError.
 */
import 'server-only';
import { MainCf } from '../../server/config/main-cf.ts';
import { getParameterDefinition } from '../../server/config/parameters.ts';
import { loadChangedParameters } from '../../server/config/parameter-store.ts';
import type { ParameterError } from '../../server/config/validate-parameter.ts';
import { listStages } from '../../server/policy/compile-policy.ts';
import { placeConfigurationError, type ConfigurationErrorPlace } from '../../server/policy/configuration-error-place.ts';
import { RESTRICTION_LIST_PARAMETERS } from '../../server/policy/policy.ts';
import { RESTRICTIONS, findRestriction } from '../../server/policy/restriction-table.ts';
import { formatRestrictionSteps, parseRestrictionSteps, type RestrictionStepDraft } from '../../server/policy/restriction-steps.ts';
import { openTableStore, type TableKind } from '../../server/maps/table-store.ts';
import { getDataDir, getPrisma } from './db.ts';

export interface PolicyListView {
  parameter: string;              // smtpd_*_restrictions or a class name
  isClass: boolean;
  help: string;
  steps: RestrictionStepDraft[];  // as stored (or the default)
  stored: string;                 // the steps written canonically: what "unchanged" means
  stages: { yes: string[]; no: string[] } | null; // requests it runs at, by smtpd_delay_reject; null: a class (anywhere)
}

export interface RestrictionChoice {
  name: string;
  family: string;
  argument: string;               // none, table, dns-zone, number
  help: string;
  stages: string[];               // where its data exists
  tableKinds: TableKind[];        // for table arguments: the stored kinds that fit
  pickable: boolean;              // offered when adding a step (not old names, not unbuilt, not warn_if_reject)
}

export interface StoredTableChoice {
  name: string;
  kind: TableKind;
  entries: number;
  spec: string;                   // how a parameter names it: hash:NAME, cidr:NAME ...
}

export interface PolicyEditorData {
  lists: PolicyListView[];
  classes: string[];
  delayReject: string;
  restrictions: RestrictionChoice[];
  tables: StoredTableChoice[];
}

/** LocatedError - a refusal, placed at the list (and compiler step number) it names, when it names one. */
export type LocatedError = ConfigurationErrorPlace;

const argumentKindOf = (name: string) => findRestriction(name)?.argument;
const SPEC_TYPE: Record<TableKind, string> = { exact: 'hash', cidr: 'cidr', regexp: 'regexp', pcre: 'pcre' };

/** getPolicyEditorData - the stored lists as steps, and what the pickers offer. */
export async function getPolicyEditorData(): Promise<PolicyEditorData> {
  const mainCf = new MainCf(await loadChangedParameters(getPrisma()));
  const view = (parameter: string, isClass: boolean): PolicyListView => {
    const steps = parseRestrictionSteps(mainCf.raw(parameter), argumentKindOf);
    const isList = (RESTRICTION_LIST_PARAMETERS as readonly string[]).includes(parameter);
    return {
      parameter,
      isClass,
      help: isClass ? 'Restriction class: a list that other lists (and access table values) name as one step.' : getParameterDefinition(parameter)!.help,
      steps,
      stored: formatRestrictionSteps(steps),
      stages: isList ? {
        yes: [...listStages(parameter as (typeof RESTRICTION_LIST_PARAMETERS)[number], true)],
        no: [...listStages(parameter as (typeof RESTRICTION_LIST_PARAMETERS)[number], false)],
      } : null,
    };
  };
  const classes = [...mainCf.restrictionClasses()];
  const store = openTableStore(getDataDir(), { readonly: true });
  let tables: StoredTableChoice[];
  try {
    tables = store.list().map((t) => ({ name: t.name, kind: t.kind, entries: t.entries, spec: `${SPEC_TYPE[t.kind]}:${t.name}` }));
  } finally {
    store.close();
  }
  return {
    lists: [...RESTRICTION_LIST_PARAMETERS.map((p) => view(p, false)), ...classes.map((c) => view(c, true))],
    classes,
    delayReject: mainCf.raw('smtpd_delay_reject'),
    restrictions: RESTRICTIONS.map((r) => ({
      name: r.name, family: r.family, argument: r.argument, help: r.help, stages: [...r.stages],
      tableKinds: fittingTableKinds(r.name), pickable: r.aliasOf === null && r.implemented && r.name !== 'warn_if_reject',
    })),
    tables,
  };
}

// Client addresses and the hosts behind a DNS name are matched by network too (cidr); names,
// addresses and domains otherwise.
function fittingTableKinds(name: string): TableKind[] {
  if (name === 'check_client_access' || /_(a|mx|ns)_access$/.test(name)) return ['exact', 'cidr', 'regexp', 'pcre'];
  return ['exact', 'regexp', 'pcre'];
}

/** locateConfigurationErrors - the compiler's and the registry's refusals, each at its list and step. */
export function locateConfigurationErrors(errors: readonly ParameterError[]): LocatedError[] {
  return errors.map(({ error }) => placeConfigurationError(error));
}
