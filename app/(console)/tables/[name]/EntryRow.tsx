'use client';
/**
 * One entry of a table with the gateway's hit count and last hit: shown, or edited in place (key and value; a rule's whole line for
 * regexp and pcre), deleted, and for ordered tables moved up or down. The edited text is
 * controlled state, so a refused save keeps what was typed beside its error.
 */
import { useActionState, useState } from 'react';
import { buttonClass } from '../../../_components/button-class.ts';
import { SubmitButton } from '../../../_components/buttons.tsx';
import { Td, inputClass } from '../../../_components/ui.tsx';
import { FormAlert, fieldError } from '../../../_components/form-alert.tsx';
import type { ActionResult } from '../../../_lib/action-result.ts';
import { formatDateTime } from '../../../_lib/format.ts';
import { changeEntryAction, deleteEntryAction, moveEntryAction } from '../actions.ts';

type Kind = 'exact' | 'cidr' | 'regexp' | 'pcre';
type Row = { position: number; key: string; value: string; hits: number; lastHitAt: string | null };

export function EntryRow({ table, kind, row, canChange }: { table: string; kind: Kind; row: Row; canChange: boolean }) {
  const pattern = kind === 'regexp' || kind === 'pcre';
  const [editing, setEditing] = useState(false);
  const [key, setKey] = useState(row.key);
  const [value, setValue] = useState(row.value);
  const [line, setLine] = useState(row.value === '' ? row.key : `${row.key} ${row.value}`);
  const [saveResult, saveAction] = useActionState(async (prev: ActionResult | null, form: FormData) => {
    const r = await changeEntryAction(prev, form);
    if (r.ok) setEditing(false);
    return r;
  }, null);
  const [deleteResult, deleteAction] = useActionState(deleteEntryAction, null);
  const [moveResult, moveAction] = useActionState(moveEntryAction, null);
  const id = `entry-${row.position}`;
  const hidden = (
    <>
      <input type="hidden" name="table" value={table} />
      <input type="hidden" name="position" value={row.position} />
      <input type="hidden" name="expectKey" value={row.key} />
    </>
  );
  return (
    <tr data-testid={id} className="align-top">
      <Td className="tabular-nums text-slate-500">{row.position}</Td>
      {editing ? (
        <td colSpan={2} className="min-w-72 px-3 py-2 align-top text-slate-800">
          <form id={`${id}-edit`} action={saveAction} className="space-y-2" noValidate>
            {hidden}
            {pattern ? (
              <>
                <label htmlFor={`${id}-line`} className="sr-only">Rule</label>
                <input id={`${id}-line`} name="line" value={line} onChange={(e) => setLine(e.target.value)} spellCheck={false} className={`${inputClass} font-mono`} aria-invalid={!!fieldError(saveResult, 'line')} />
                {fieldError(saveResult, 'line') ? <p role="alert" className="text-sm text-red-700">{fieldError(saveResult, 'line')}</p> : null}
              </>
            ) : (
              <div className="grid gap-2 sm:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
                <div>
                  <label htmlFor={`${id}-key`} className="sr-only">Key</label>
                  <input id={`${id}-key`} name="key" value={key} onChange={(e) => setKey(e.target.value)} spellCheck={false} className={`${inputClass} font-mono`} aria-invalid={!!fieldError(saveResult, 'key')} />
                  {fieldError(saveResult, 'key') ? <p role="alert" className="mt-1 text-sm text-red-700">{fieldError(saveResult, 'key')}</p> : null}
                </div>
                <div>
                  <label htmlFor={`${id}-value`} className="sr-only">Value</label>
                  <input id={`${id}-value`} name="value" value={value} onChange={(e) => setValue(e.target.value)} spellCheck={false} className={`${inputClass} font-mono`} aria-invalid={!!fieldError(saveResult, 'value')} />
                  {fieldError(saveResult, 'value') ? <p role="alert" className="mt-1 text-sm text-red-700">{fieldError(saveResult, 'value')}</p> : null}
                </div>
              </div>
            )}
            <FormAlert result={saveResult} />
            <div className="flex gap-2">
              <SubmitButton size="sm" pendingText="Saving…">Save</SubmitButton>
              <button type="button" className={buttonClass('ghost', 'sm')} onClick={() => setEditing(false)}>Cancel</button>
            </div>
          </form>
        </td>
      ) : (
        <>
          <Td className="min-w-32 font-mono text-xs [overflow-wrap:anywhere] sm:text-sm">{row.key}</Td>
          <Td className="min-w-32 font-mono text-xs [overflow-wrap:anywhere] sm:text-sm">{row.value || <span className="text-slate-400">—</span>}</Td>
        </>
      )}
      <Td className="text-right tabular-nums">{row.hits.toLocaleString('en-US')}</Td>
      <Td className="whitespace-nowrap text-xs text-slate-600">{row.lastHitAt ? formatDateTime(row.lastHitAt) : <span className="text-slate-400">never</span>}</Td>
      {canChange ? (
        <Td className="text-right">
          <div className="flex justify-end gap-1.5 whitespace-nowrap">
            {!editing ? (
              <button type="button" className={buttonClass('secondary', 'sm')} onClick={() => setEditing(true)} aria-label={`Edit entry ${row.position}`}>Edit</button>
            ) : null}
            {pattern ? (
              <>
                <form action={moveAction}>
                  {hidden}
                  <input type="hidden" name="direction" value="up" />
                  <SubmitButton variant="secondary" size="sm" aria-label={`Move entry ${row.position} up`}>↑</SubmitButton>
                </form>
                <form action={moveAction}>
                  {hidden}
                  <input type="hidden" name="direction" value="down" />
                  <SubmitButton variant="secondary" size="sm" aria-label={`Move entry ${row.position} down`}>↓</SubmitButton>
                </form>
              </>
            ) : null}
            <form action={deleteAction}>
              {hidden}
              <SubmitButton variant="danger" size="sm" aria-label={`Delete entry ${row.position}`}>Delete</SubmitButton>
            </form>
          </div>
          <div className="mt-1 text-left">
            {deleteResult && !deleteResult.ok ? <FormAlert result={deleteResult} all /> : null}
            {moveResult && !moveResult.ok ? <FormAlert result={moveResult} all /> : null}
          </div>
        </Td>
      ) : null}
    </tr>
  );
}
