'use client';
/** One list parameter, one item per line, saved through the parameter store with the gateway's check. */
import { useActionState, useState } from 'react';
import { SubmitButton } from '../../_components/buttons.tsx';
import { Badge, Field, inputClass } from '../../_components/ui.tsx';
import { FormAlert, fieldError } from '../../_components/form-alert.tsx';
import type { ListParameterRow } from '../../_data/tables.ts';
import { saveListAction } from './actions.ts';

export function ListParameterForm({ list, canChange }: { list: ListParameterRow; canChange: boolean }) {
  const [result, action] = useActionState(saveListAction, null);
  const [items, setItems] = useState(list.items.join('\n'));
  const id = `list-${list.name}`;
  return (
    <form action={action} className="space-y-3" noValidate>
      <input type="hidden" name="parameter" value={list.name} />
      <div className="flex items-center gap-2 text-xs text-slate-500">
        {list.isDefault ? <Badge>default</Badge> : <Badge tone="info">changed</Badge>}
        <span>{list.items.length} {list.items.length === 1 ? 'item' : 'items'}</span>
      </div>
      {list.defaultValue ? <p className="truncate text-xs text-slate-500" title={list.defaultValue}>Postfix default: <code>{list.defaultValue}</code></p> : null}
      <FormAlert result={result} />
      <Field label={`${list.name}, one item per line`} htmlFor={id} error={fieldError(result, 'items')}>
        <textarea
          id={id} name="items" rows={Math.min(8, Math.max(3, items.split('\n').length + 1))} value={items}
          onChange={(e) => setItems(e.target.value)} readOnly={!canChange} spellCheck={false}
          className={`${inputClass} font-mono`} aria-invalid={!!fieldError(result, 'items')}
        />
      </Field>
      {canChange ? <SubmitButton size="sm" pendingText="Saving…">Save {list.name}</SubmitButton> : null}
    </form>
  );
}
