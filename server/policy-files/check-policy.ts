/**
 * Whether a set of parameter rows, with the tables they name, is a policy the gateway would
 * run: the values checked as `postconf -e` checks them (MainCf), then everything the gateway
 * builds for its sessions (buildSmtpdSnapshot, as a reload builds it) in strict mode, which
 * refuses unknown restriction names and steps that never see their data, where a running
 * Postfix would answer 451 4.3.5 or skip them. What an import checks before writing anything.
 * Exports: PolicyProblem, PolicyCheck, checkPolicy.
 * Each problem names its parameter where the text does, so a caller can point at a file line.
 */
import { MainCf } from '../config/main-cf.ts';
import { compilePolicy } from '../policy/compile-policy.ts';
import type { TableCatalog } from '../maps/table-catalog.ts';
import { buildSmtpdSnapshot } from '../smtp/smtpd-snapshot.ts';

export interface PolicyProblem {
  readonly parameter: string | null; // the parameter at fault, when known
  readonly text: string;
}

export interface PolicyCheck {
  readonly errors: readonly PolicyProblem[];   // any error: the gateway would refuse this policy
  readonly warnings: readonly PolicyProblem[];
}

/**
 * checkPolicy - check parameters against the tables of `catalog`; with no catalog only the
 * values are checked (the tables could not all be read, so compiling would only add noise).
 */
export function checkPolicy(parameters: Readonly<Record<string, string>>, catalog: TableCatalog | null): PolicyCheck {
  const mainCf = new MainCf(parameters);
  const broken = mainCf.errors();
  if (broken.length || catalog === null) return { errors: broken.map((e) => ({ parameter: e.name, text: e.error })), warnings: [] };
  let errors: string[];
  try {
    const built = buildSmtpdSnapshot(mainCf, 0, catalog, { strict: true });
    errors = built.ok ? [] : built.errors;
  } catch (error) {
    // The gateway's reload meets the same exception and refuses the policy.
    errors = [`the gateway cannot build a snapshot of this policy: ${(error as Error).message}`];
  }
  // The snapshot keeps only errors; the compiler's warnings (steps that never run, restrictions
  // not implemented yet) are worth showing too. PolicyParameters reads '' for a name the
  // registry does not have.
  const { warnings } = compilePolicy({ get: (name) => (mainCf.has(name) ? mainCf.get(name) : '') }, { tables: catalog });
  return { errors: errors.map(problem), warnings: warnings.filter((w) => !errors.includes(w)).map(problem) };
}

// The compiler's texts name their parameter as `in parameter NAME...`.
function problem(text: string): PolicyProblem {
  return { parameter: /\bin parameter ([A-Za-z0-9_]+)/.exec(text)?.[1] ?? null, text };
}
