/**
 * The stored main.cf: only changed parameters are rows (Parameter), defaults come from the
 * registry. Every change is checked whole and written with its PolicyRevision (actor,
 * summary, the changed set before and after) in one transaction, the way `postconf -e` and
 * `postconf -X` edit main.cf. The console and `portcullis postconf` both call these.
 * Exports: loadChangedParameters, setParameters, checkParameters, revertParameters, ParameterChange.
 * Refused changes are values ({ ok: false, errors }), each error naming its parameter; a
 * change is refused only for problems it introduces, so an old broken value never blocks
 * the edit that repairs it.
 */
import type { PrismaClient } from '../db/client.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import type { Prisma } from '../db/generated/client.ts';
import { MainCf } from './main-cf.ts';
import { getParameterDefinition } from './parameters.ts';
import type { ParameterError } from './validate-parameter.ts';

/**
 * ConfigurationCheck - what a whole configuration (the changed parameters) would be refused
 * for by the gateway; the caller supplies it (server/gateway/check-configuration.ts), so the
 * registry does not depend on the policy compiler.
 */
export type ConfigurationCheck = (changed: Readonly<Record<string, string>>) => string[];

export type ParameterChange =
  | { ok: true; revisionId: number | null } // null: the values were already so, nothing written
  | { ok: false; errors: ParameterError[] };

type ChangedParameters = Record<string, string>;

/** loadChangedParameters - the stored (non-default) values by name. */
export async function loadChangedParameters(prisma: PrismaClient | Prisma.TransactionClient): Promise<ChangedParameters> {
  const rows = await prisma.parameter.findMany({ select: { name: true, value: true }, orderBy: { name: 'asc' } });
  return Object.fromEntries(rows.map((r) => [r.name, r.value]));
}

/**
 * setParameters - change values all or nothing; values are trimmed as main.cf lines are, and
 * a value equal to its default removes the row, except for computed defaults (myhostname,
 * mydomain, mynetworks), where an explicit value pins what the host would otherwise decide.
 */
export async function setParameters(
  prisma: PrismaClient, values: Readonly<Record<string, string>>, actor: string, summary?: string, check?: ConfigurationCheck,
): Promise<ParameterChange> {
  const entries = trimValues(values);
  return commitChange(prisma, actor, summary ?? describeEdit(entries), entries.map(([name]) => name), check, (current) => applyValues(current, entries));
}

/**
 * checkParameters - what setParameters would refuse these values for, without writing
 * anything: the console shows it while a change is still a draft.
 */
export async function checkParameters(
  prisma: PrismaClient, values: Readonly<Record<string, string>>, check?: ConfigurationCheck,
): Promise<ParameterError[]> {
  const entries = trimValues(values);
  const current = await loadChangedParameters(prisma);
  const judged = judgeChange(current, entries.map(([name]) => name), check, applyValues(current, entries));
  return 'errors' in judged ? judged.errors : [];
}

function trimValues(values: Readonly<Record<string, string>>): (readonly [string, string])[] {
  return Object.entries(values).map(([name, value]) => [name, value.trim()] as const);
}

function applyValues(current: ChangedParameters, entries: readonly (readonly [string, string])[]): { next: ChangedParameters } {
  const next = { ...current };
  for (const [name, value] of entries) next[name] = value;
  // Classes as declared after this change: one call may declare a class and define it.
  const classes = new MainCf(next).restrictionClasses();
  for (const [name, value] of entries) {
    const def = getParameterDefinition(name);
    // An empty class is no class; so is an empty definition of a class this change undeclares,
    // which is how the console removes one in a single revision.
    const isDefault = def ? !def.computed && value === def.default : value === '' && (classes.includes(name) || name in current);
    if (isDefault) delete next[name];
  }
  return { next };
}

/** revertParameters - put parameters back to their defaults (postconf -X); names must be known. */
export async function revertParameters(
  prisma: PrismaClient, names: readonly string[], actor: string, summary?: string, check?: ConfigurationCheck,
): Promise<ParameterChange> {
  return commitChange(prisma, actor, summary ?? `postconf -X ${names.join(' ')}`, names, check, (current) => {
    const known = new MainCf(current);
    const errors = names.filter((n) => !known.has(n) && !(n in current)).map((name) => ({ name, error: `unknown parameter name: ${name}` }));
    if (errors.length) return { errors };
    const next = { ...current };
    for (const name of names) delete next[name];
    return { next };
  });
}

type ComputeNext = (current: ChangedParameters) => { next: ChangedParameters } | { errors: ParameterError[] };

async function commitChange(
  prisma: PrismaClient, actor: string, summary: string, touched: readonly string[], check: ConfigurationCheck | undefined, compute: ComputeNext,
): Promise<ParameterChange> {
  return writeTransaction(prisma, async (tx) => {
    const current = await loadChangedParameters(tx);
    const judged = judgeChange(current, touched, check, compute(current));
    if ('errors' in judged) return { ok: false, errors: judged.errors };
    const { next } = judged;
    if (sameParameters(current, next)) return { ok: true, revisionId: null };

    const removed = Object.keys(current).filter((name) => !(name in next));
    if (removed.length) await tx.parameter.deleteMany({ where: { name: { in: removed } } });
    for (const [name, value] of Object.entries(next)) {
      if (current[name] === value) continue;
      await tx.parameter.upsert({ where: { name }, create: { name, value }, update: { value }, select: { name: true } });
    }
    const revision = await tx.policyRevision.create({
      data: { actor, summary, before: JSON.stringify(sortByName(current)), after: JSON.stringify(sortByName(next)) },
      select: { id: true },
    });
    return { ok: true, revisionId: revision.id };
  });
}

// The next set, or what refuses it: the registry's checks first, then the gateway's.
function judgeChange(
  current: ChangedParameters, touched: readonly string[], check: ConfigurationCheck | undefined,
  computed: { next: ChangedParameters } | { errors: ParameterError[] },
): { next: ChangedParameters } | { errors: ParameterError[] } {
  if ('errors' in computed) return computed;
  const { next } = computed;
  const errors = introducedErrors(current, next, touched);
  if (errors.length) return { errors };
  if (check) {
    const before = new Set(check(current));
    const refused = check(next).filter((error) => !before.has(error));
    if (refused.length) return { errors: refused.map((error) => ({ name: touched[0] ?? '', error })) };
  }
  return { next };
}

// Problems the new set has and the old one did not; those about the parameters being
// changed come first, in the order they were given.
function introducedErrors(current: ChangedParameters, next: ChangedParameters, touched: readonly string[]): ParameterError[] {
  const before = new Set(new MainCf(current).errors().map((e) => `${e.name}\n${e.error}`));
  const introduced = new MainCf(next).errors().filter((e) => !before.has(`${e.name}\n${e.error}`));
  const rank = (e: ParameterError) => (touched.includes(e.name) ? touched.indexOf(e.name) : touched.length);
  return introduced.sort((a, b) => rank(a) - rank(b));
}

function sameParameters(a: ChangedParameters, b: ChangedParameters): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => b[name] === a[name]);
}

function sortByName(values: ChangedParameters): ChangedParameters {
  return Object.fromEntries(Object.entries(values).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

// The change as the postconf command that makes it, quoted for a POSIX shell.
function describeEdit(entries: readonly (readonly [string, string])[]): string {
  const words = entries.map(([name, value]) => {
    const word = `${name}=${value}`;
    return /^[A-Za-z0-9_.,:/@+=%-]*$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
  });
  return `postconf -e ${words.join(' ')}`;
}
