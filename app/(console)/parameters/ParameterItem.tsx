'use client';
/**
 * One parameter: name, help, current value and default; for administrators an editor (a
 * yes/no or enum choice, else the text as main.cf would hold it) whose refusal is shown under
 * the field, and a revert to the default when a value is stored.
 */
import { useActionState, useEffect, useState } from 'react';
import { buttonClass } from '../../_components/button-class.ts';
import { SubmitButton } from '../../_components/buttons.tsx';
import { FormAlert, fieldError } from '../../_components/form-alert.tsx';
import { Badge, Breakable, Field, inputClass } from '../../_components/ui.tsx';
import type { ParameterRow } from '../../_data/parameters.ts';
import { revertParameterAction, setParameterAction } from './actions.ts';

const LONG_TYPES = new Set(['restriction-list', 'domain-list', 'network-list', 'maps', 'list', 'template', 'text']);

export function ParameterItem({ row, canEdit }: { row: ParameterRow; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(row.value);
  const [saved, saveAction] = useActionState(setParameterAction, null);
  const [reverted, revertAction] = useActionState(revertParameterAction, null);
  const id = `value-${row.name}`;
  const error = fieldError(saved, 'value');

  // A stored change closes the editor; the page comes back with the new value.
  useEffect(() => {
    if (saved?.ok) setEditing(false);
  }, [saved]);
  useEffect(() => {
    if (!editing) setValue(row.value);
  }, [row.value, editing]);

  return (
    <li id={`p-${row.name}`} className="scroll-mt-4 py-3" data-testid={`parameter-${row.name}`}>
      <div className="flex flex-col gap-2 md:flex-row md:items-start md:gap-6">
        <div className="min-w-0 md:w-2/5">
          <p className="flex flex-wrap items-center gap-2">
            <code className="break-words font-mono text-sm font-semibold text-slate-900"><Breakable text={row.name} /></code>
            {row.changed ? <Badge tone="warn">changed</Badge> : null}
          </p>
          <p className="mt-0.5 text-xs text-slate-500">{row.help}</p>
          <p className="mt-0.5 text-xs text-slate-400">{row.type} · {row.stages.join(', ')}</p>
        </div>
        <div className="min-w-0 flex-1 space-y-1">
          {editing ? (
            <form action={saveAction} className="space-y-2">
              <input type="hidden" name="name" value={row.name} />
              <Field label={`New value of ${row.name}`} htmlFor={id} error={error} hint={`Default: ${row.default || '(empty)'}`}>
                {row.choices ? (
                  <select id={id} name="value" value={value} onChange={(e) => setValue(e.target.value)} className={inputClass} aria-invalid={!!error}>
                    {row.choices.includes(value) ? null : <option value={value}>{value}</option>}
                    {row.choices.map((c) => <option key={c} value={c}>{c}</option>)}
                  </select>
                ) : LONG_TYPES.has(row.type) ? (
                  <textarea id={id} name="value" value={value} onChange={(e) => setValue(e.target.value)} rows={Math.min(6, 1 + Math.floor(value.length / 60))} className={`${inputClass} font-mono`} aria-invalid={!!error} />
                ) : (
                  <input id={id} name="value" value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" className={`${inputClass} font-mono`} aria-invalid={!!error} />
                )}
              </Field>
              <div className="flex gap-2">
                <SubmitButton size="sm" pendingText="Saving…">Save</SubmitButton>
                <button type="button" className={buttonClass('ghost', 'sm')} onClick={() => { setEditing(false); setValue(row.value); }}>Cancel</button>
              </div>
            </form>
          ) : (
            <>
              <p className="break-words font-mono text-sm text-slate-900">{row.value === '' ? <span className="italic text-slate-400">(empty)</span> : <Breakable text={row.value} />}</p>
              {row.changed ? (
                <p className="break-all text-xs text-slate-500">Default: <span className="font-mono">{row.default || '(empty)'}</span>{row.computed ? ' (computed from this host)' : ''}</p>
              ) : row.computed ? <p className="text-xs text-slate-500">Computed from this host.</p> : null}
            </>
          )}
          <FormAlert result={saved?.ok ? saved : null} />
          <FormAlert result={reverted} all />
        </div>
        {canEdit && !editing ? (
          <div className="flex shrink-0 gap-2">
            <button type="button" className={buttonClass('secondary', 'sm')} onClick={() => setEditing(true)} aria-label={`Edit ${row.name}`}>Edit</button>
            {row.changed ? (
              <form action={revertAction}>
                <input type="hidden" name="name" value={row.name} />
                <SubmitButton variant="ghost" size="sm" pendingText="Reverting…" aria-label={`Revert ${row.name} to its default`}>Revert</SubmitButton>
              </form>
            ) : null}
          </div>
        ) : null}
      </div>
    </li>
  );
}
