'use client';
import { useActionState } from 'react';
import { SubmitButton } from '../../../_components/buttons.tsx';
import { FormAlert } from '../../../_components/form-alert.tsx';
import { queueOperationAction } from '../actions.ts';

/** The queue operations that apply to a message in this state, as postsuper allows them. */
export function MessageActions({ id, state }: { id: string; state: string }) {
  const [result, action] = useActionState(queueOperationAction, null);
  const operations = state === 'hold' ? ['release', 'requeue', 'delete'] : state === 'corrupt' ? ['requeue', 'delete'] : ['hold', 'requeue', 'delete'];
  return (
    <form action={action} className="flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
        if (submitter?.value === 'delete' && !window.confirm(`Delete ${id}? It will not be delivered.`)) e.preventDefault();
      }}>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="from" value="message" />
      {operations.map((op) => (
        <SubmitButton key={op} name="operation" value={op} variant={op === 'delete' ? 'danger' : 'secondary'}>{op[0].toUpperCase() + op.slice(1)}</SubmitButton>
      ))}
      <FormAlert result={result} all />
    </form>
  );
}
