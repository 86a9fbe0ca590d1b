'use client';
/** Add one entry: key and value (exact, cidr) or a whole rule line with its position (regexp, pcre). */
import { useActionState, useState } from 'react';
import { SubmitButton } from '../../../_components/buttons.tsx';
import { Field, inputClass } from '../../../_components/ui.tsx';
import { FormAlert, fieldError } from '../../../_components/form-alert.tsx';
import type { ActionResult } from '../../../_lib/action-result.ts';
import { addEntryAction } from '../actions.ts';

const EXAMPLES = {
  exact: { key: '192.0.2.7, spammer.example, user@example.com', value: 'REJECT no mail from you' },
  cidr: { key: '192.0.2.0/24', value: 'REJECT network blocked' },
} as const;

export function AddEntryForm({ table, kind }: { table: string; kind: 'exact' | 'cidr' | 'regexp' | 'pcre' }) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [line, setLine] = useState('');
  const [at, setAt] = useState('');
  const [result, action] = useActionState(async (prev: ActionResult | null, form: FormData) => {
    const r = await addEntryAction(prev, form);
    if (r.ok) {
      setKey('');
      setValue('');
      setLine('');
    }
    return r;
  }, null);
  const pattern = kind === 'regexp' || kind === 'pcre';
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="table" value={table} />
      <FormAlert result={result} />
      {pattern ? (
        <>
          <Field label="Rule" htmlFor="entry-line" hint={<>e.g. <code>/^Subject:.*viagra/ REJECT spam</code></>} error={fieldError(result, 'line')}>
            <input id="entry-line" name="line" value={line} onChange={(e) => setLine(e.target.value)} spellCheck={false} autoComplete="off" className={`${inputClass} font-mono`} aria-invalid={!!fieldError(result, 'line')} />
          </Field>
          <Field label="Insert at position" htmlFor="entry-at" hint="Empty: after the last rule." error={fieldError(result, 'at')}>
            <input id="entry-at" name="at" inputMode="numeric" value={at} onChange={(e) => setAt(e.target.value)} className={inputClass} />
          </Field>
        </>
      ) : (
        <>
          <Field label={kind === 'cidr' ? 'Network' : 'Key'} htmlFor="entry-key" hint={<>e.g. <code>{EXAMPLES[kind].key}</code></>} error={fieldError(result, 'key')}>
            <input id="entry-key" name="key" value={key} onChange={(e) => setKey(e.target.value)} spellCheck={false} autoComplete="off" className={`${inputClass} font-mono`} aria-invalid={!!fieldError(result, 'key')} />
          </Field>
          <Field label="Value" htmlFor="entry-value" hint={<>e.g. <code>{EXAMPLES[kind].value}</code>, OK, DUNNO, 450 try later</>} error={fieldError(result, 'value')}>
            <input id="entry-value" name="value" value={value} onChange={(e) => setValue(e.target.value)} spellCheck={false} autoComplete="off" className={`${inputClass} font-mono`} aria-invalid={!!fieldError(result, 'value')} />
          </Field>
        </>
      )}
      <SubmitButton pendingText="Adding…">Add entry</SubmitButton>
    </form>
  );
}
