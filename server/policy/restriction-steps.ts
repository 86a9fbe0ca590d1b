/**
 * A restriction list value as the console edits it: an ordered list of steps, each a
 * restriction name with its argument (`check_client_access hash:clients`,
 * `reject_rbl_client zen.example=127.0.0.[2..11]`, `sleep 5`), a class name or a bare
 * `type:table`, and whether `warn_if_reject` stands before it. Words are split and arguments
 * taken exactly as parse-restriction-list.ts (smtpd_check_parse()) reads them, so the steps
 * written back mean what the gateway compiles.
 * Exports: RestrictionStepDraft, ArgumentKindOf, parseRestrictionSteps,
 * formatRestrictionSteps, findStepOfListIndex.
 * Pure and free of the RESTRICTIONS table (the browser imports it): the caller says which
 * names take an argument. Formatting is canonical (`, ` between steps), so a value typed with
 * newlines or without commas comes back in that form, meaning the same.
 */
import { splitList } from '../config/parameter-list.ts';

export interface RestrictionStepDraft {
  readonly name: string;            // as written: restriction, class, or `type:table`
  readonly argument: string | null; // the word after a restriction that takes one
  readonly warnIfReject: boolean;   // `warn_if_reject` stands just before this step
}

/** ArgumentKindOf - whether a name takes the next word as argument ('none' or undefined: it does not). */
export type ArgumentKindOf = (name: string) => string | undefined;

/**
 * parseRestrictionSteps - the steps of a list value; `warn_if_reject` becomes the flag of the
 * step after it, unless nothing follows it or another `warn_if_reject` does (kept as a step
 * of its own, so the value writes back unchanged).
 */
export function parseRestrictionSteps(value: string, argumentKindOf: ArgumentKindOf): RestrictionStepDraft[] {
  const words = splitList(value);
  const steps: RestrictionStepDraft[] = [];
  let warn = false;
  for (let i = 0; i < words.length; i++) {
    const name = words[i];
    const isWarn = name.toLowerCase() === 'warn_if_reject';
    if (isWarn && !warn && i + 1 < words.length && words[i + 1].toLowerCase() !== 'warn_if_reject') {
      warn = true;
      continue;
    }
    const kind = name.includes(':') ? undefined : argumentKindOf(name);
    let argument: string | null = null;
    // As smtpd_check_parse(): the next word is the argument, whatever it looks like.
    if (kind !== undefined && kind !== 'none' && i + 1 < words.length) argument = words[++i];
    steps.push({ name, argument, warnIfReject: warn });
    warn = false;
  }
  return steps;
}

/** formatRestrictionSteps - the list value: `name argument` per step, `, ` between steps. */
export function formatRestrictionSteps(steps: readonly RestrictionStepDraft[]): string {
  return steps
    .map((s) => `${s.warnIfReject ? 'warn_if_reject ' : ''}${s.name}${s.argument !== null && s.argument !== '' ? ` ${s.argument}` : ''}`)
    .join(', ');
}

/**
 * findStepOfListIndex - which step (0-based) a compiler message's `step N` (1-based, counting
 * each `warn_if_reject` as a step of its own) is about; -1 when N is past the end.
 */
export function findStepOfListIndex(steps: readonly RestrictionStepDraft[], index: number): number {
  let seen = 0;
  for (let i = 0; i < steps.length; i++) {
    seen += steps[i].warnIfReject ? 2 : 1;
    if (index <= seen) return i;
  }
  return -1;
}
