/**
 * The Parameters page's reads: every registry parameter with its default, its current value
 * (stored, or the default) and its help, by the registry's sections with the changed ones
 * first in each, and the changed ones also apart, for the summary at the top of the page;
 * filtered by a search over name and help, a section, or changed only.
 * Plain objects out. Exports listParameters, ParameterRow, ParameterListing, ParameterFilter.
 */
import 'server-only';
import { MainCf } from '../../server/config/main-cf.ts';
import { PARAMETER_GROUPS } from '../../server/config/parameters.ts';
import { loadChangedParameters } from '../../server/config/parameter-store.ts';
import { getPrisma } from './db.ts';

export interface ParameterRow {
  name: string;
  type: string;
  value: string;          // as stored, or the default (computed ones: what this host decided)
  default: string;        // the registry's (Postfix 3.7's) default
  computed: boolean;      // default worked out from this host (myhostname, mydomain, mynetworks)
  changed: boolean;       // a value is stored
  help: string;
  stages: string[];
  choices: string[] | null; // enum values and yes/no
  group: string;
}

export interface ParameterFilter {
  q: string;              // words that must all appear in the name or help
  group: string;          // a section title, or '' for all
  changedOnly: boolean;
}

export interface ParameterListing {
  changed: ParameterRow[];                         // matching changed parameters, by name
  groups: { title: string; rows: ParameterRow[] }[]; // every match by section, changed ones first
  sections: { title: string; parameters: number; changed: number }[]; // the whole registry, unfiltered
  total: number;                                   // parameters in the registry
  matched: number;
}

/** listParameters - the registry against the stored values, filtered. */
export async function listParameters(filter: ParameterFilter): Promise<ParameterListing> {
  const mainCf = new MainCf(await loadChangedParameters(getPrisma()));
  const words = filter.q.toLowerCase().split(/\s+/).filter(Boolean);
  const changed: ParameterRow[] = [];
  const groups: ParameterListing['groups'] = [];
  const sections: ParameterListing['sections'] = [];
  let total = 0;
  for (const group of PARAMETER_GROUPS) {
    const rows: ParameterRow[] = [];
    sections.push({ title: group.title, parameters: group.parameters.length, changed: group.parameters.filter((d) => mainCf.isChanged(d.name)).length });
    for (const def of group.parameters) {
      total++;
      if (filter.group && filter.group !== group.title) continue;
      const text = `${def.name} ${def.help}`.toLowerCase();
      if (!words.every((w) => text.includes(w))) continue;
      const row: ParameterRow = {
        name: def.name,
        type: def.type,
        value: mainCf.raw(def.name),
        default: def.default,
        computed: def.computed === true,
        changed: mainCf.isChanged(def.name),
        help: def.help,
        stages: [...def.stages],
        choices: def.type === 'bool' ? ['yes', 'no'] : def.type === 'enum' && def.values ? [...def.values] : null,
        group: group.title,
      };
      if (row.changed) changed.push(row);
      if (row.changed || !filter.changedOnly) rows.push(row);
    }
    rows.sort((a, b) => Number(b.changed) - Number(a.changed)); // stable: registry order otherwise
    if (rows.length) groups.push({ title: group.title, rows });
  }
  changed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    changed,
    groups,
    sections,
    total,
    matched: groups.reduce((n, g) => n + g.rows.length, 0),
  };
}
