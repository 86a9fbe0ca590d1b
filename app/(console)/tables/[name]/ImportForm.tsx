'use client';
/** Bulk import: paste or upload postmap source; replace the table or merge by key. Refused lines are listed by number. */
import { useActionState, useState } from 'react';
import { SubmitButton } from '../../../_components/buttons.tsx';
import { Field, inputClass } from '../../../_components/ui.tsx';
import { FormAlert, fieldError } from '../../../_components/form-alert.tsx';
import { importTableAction, type ImportResult } from '../actions.ts';

export function ImportForm({ table }: { table: string }) {
  const [source, setSource] = useState('');
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const [result, action] = useActionState(async (prev: ImportResult | null, form: FormData) => {
    const r = await importTableAction(prev, form);
    if (r.ok) setSource('');
    return r;
  }, null);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="table" value={table} />
      <FormAlert result={result} />
      <Field label="Postmap source" htmlFor="import-source" error={fieldError(result, 'source')}>
        <textarea id="import-source" name="source" rows={6} value={source} onChange={(e) => setSource(e.target.value)} spellCheck={false}
          placeholder={'# key<TAB>value, one per line\n192.0.2.7\tREJECT'} className={`${inputClass} font-mono text-xs`} aria-invalid={!!fieldError(result, 'source')} />
      </Field>
      {result && !result.ok && result.lines?.length ? (
        <ul data-testid="import-errors" className="max-h-48 space-y-1 overflow-y-auto rounded-md bg-red-50 px-3 py-2 font-mono text-xs text-red-800">
          {result.lines.map((l, i) => <li key={i}>{l.text}</li>)}
        </ul>
      ) : null}
      <Field label="Or upload a file" htmlFor="import-file" hint="A chosen file is imported instead of the text above.">
        <input id="import-file" name="file" type="file" accept=".txt,text/plain,*/*" className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-200" />
      </Field>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-700">How</legend>
        <label className="flex items-start gap-2 text-sm text-slate-700">
          <input type="radio" name="mode" value="merge" checked={mode === 'merge'} onChange={() => setMode('merge')} className="mt-0.5" />
          <span>Merge: imported keys replace the same keys, new ones are added at the end</span>
        </label>
        <label className="flex items-start gap-2 text-sm text-slate-700">
          <input type="radio" name="mode" value="replace" checked={mode === 'replace'} onChange={() => setMode('replace')} className="mt-0.5" />
          <span>Replace: the table becomes exactly the imported lines</span>
        </label>
      </fieldset>
      <SubmitButton pendingText="Importing…">Import</SubmitButton>
    </form>
  );
}
