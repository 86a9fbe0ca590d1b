'use client';
/** Create an empty stored table of a kind; the page of the new table opens to fill it. */
import { useActionState, useState } from 'react';
import { SubmitButton } from '../../_components/buttons.tsx';
import { Field, inputClass } from '../../_components/ui.tsx';
import { FormAlert, fieldError } from '../../_components/form-alert.tsx';
import { createTableAction } from './actions.ts';

const KINDS = [
  ['exact', 'exact — hash, btree, lmdb, cdb, texthash (access tables, transport)'],
  ['cidr', 'cidr — networks, in order'],
  ['regexp', 'regexp — POSIX patterns, in order (header_checks)'],
  ['pcre', 'pcre — Perl patterns, in order (body_checks)'],
] as const;

export function NewTableForm() {
  const [result, action] = useActionState(createTableAction, null);
  const [name, setName] = useState('');
  const [kind, setKind] = useState('exact');
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormAlert result={result} />
      <Field label="Name" htmlFor="new-table-name" hint="Letters, digits and . _ - /; parameters name it as type:name." error={fieldError(result, 'name')}>
        <input id="new-table-name" name="name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" placeholder="clients" className={inputClass} aria-invalid={!!fieldError(result, 'name')} />
      </Field>
      <Field label="Kind" htmlFor="new-table-kind" error={fieldError(result, 'kind')}>
        <select id="new-table-kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value)} className={inputClass}>
          {KINDS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </Field>
      <SubmitButton pendingText="Creating…">Create table</SubmitButton>
    </form>
  );
}
