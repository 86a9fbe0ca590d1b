/**
 * One restriction list value (an smtpd_*_restrictions list or a restriction class
 * definition) parsed into steps, as smtpd_check_parse() and generic_checks() read it
 * (spec/restrictions.md sections 1 and 5): words separated by commas and/or whitespace,
 * names case-insensitive, an argument-taking restriction consumes the next word, a word with
 * ':' is a bare access table, a declared class name is a class step.
 * Exports: RestrictionListParse, parseRestrictionList.
 * Errors (the snapshot is refused): a missing or malformed argument. Warnings (the snapshot
 * is kept; such steps answer 451 4.3.5 when reached, as in Postfix): unknown names,
 * restrictions and bare tables not implemented yet. Also warned: steps after
 * permit/reject/defer that never run.
 */
import type { RestrictionList, RestrictionStep } from './policy.ts';
import type { RestrictionEntry } from './restriction.ts';
import { splitList } from '../config/parameter-list.ts';
import { findRestriction } from './restriction-table.ts';

export interface RestrictionListParse {
  readonly list: RestrictionList;
  readonly errors: string[];
  readonly warnings: string[];
}

/** parseRestrictionList - parse a list value; classNames are the declared smtpd_restriction_classes. */
export function parseRestrictionList(
  parameter: string,
  value: string,
  classNames: ReadonlySet<string>,
): RestrictionListParse {
  const words = splitList(value);
  const steps: RestrictionStep[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const where = (index: number, name: string): string => `in parameter ${parameter}, step ${index} "${name}"`;

  for (let i = 0; i < words.length; i++) {
    const name = words[i];
    const index = steps.length + 1;
    if (name.includes(':')) {
      steps.push({ parameter, index, name, argument: null, target: { kind: 'access-table' } });
      continue;
    }
    const entry = findRestriction(name);
    if (entry === undefined) {
      // Built-in names come first: Postfix looks a class up only when no restriction matched.
      if (classNames.has(name)) {
        steps.push({ parameter, index, name, argument: null, target: { kind: 'class', className: name } });
      } else {
        steps.push({ parameter, index, name, argument: null, target: { kind: 'unknown' } });
        warnings.push(`${where(index, name)}: unknown smtpd restriction; requests reaching it get 451 4.3.5 Server configuration error`);
      }
      continue;
    }
    let argument: string | null = null;
    if (entry.argument !== 'none') {
      argument = words[i + 1] ?? null;
      if (argument !== null) i++;
      const problem = checkArgument(entry, argument);
      if (problem !== null) errors.push(`${where(index, name)}: ${problem}`);
    }
    if (!entry.implemented) {
      warnings.push(
        `${where(index, name)}: not implemented yet (needs ${entry.needs}); requests reaching it get 451 4.3.5 Server configuration error`,
      );
    }
    steps.push({ parameter, index, name, argument, target: { kind: 'restriction', entry } });
  }

  for (let i = 0; i + 1 < steps.length; i++) {
    const target = steps[i].target;
    const previous = steps[i - 1]?.target;
    const underWarn = previous?.kind === 'restriction' && previous.entry.name === 'warn_if_reject';
    if (target.kind === 'restriction' && target.entry.endsList && !(underWarn && target.entry.name !== 'permit')) {
      warnings.push(`${where(steps[i + 1].index, steps[i + 1].name)}: never runs: it comes after ${target.entry.name}`);
    }
  }
  return { list: { parameter, steps }, errors, warnings };
}

function checkArgument(entry: RestrictionEntry, argument: string | null): string | null {
  switch (entry.argument) {
    case 'table':
      if (argument === null) return 'requires a type:table argument';
      return argument.includes(':') ? null : `bad argument "${argument}": need maptype:mapname`;
    case 'dns-zone':
      return argument === null ? 'requires domain name argument' : null;
    case 'number':
      return argument !== null && /^\d+$/.test(argument) ? null : 'must be followed by number';
    case 'policy-service':
      return argument !== null && argument.includes(':') ? null : 'must be followed by transport:server';
    case 'none':
      return null;
  }
}
