'use client';
import { useActionState } from 'react';
import { SubmitButton } from '../../_components/buttons.tsx';
import { FormAlert } from '../../_components/form-alert.tsx';
import { flushAction } from './actions.ts';

export function FlushButton() {
  const [result, action] = useActionState(flushAction, null);
  return (
    <form action={action} className="flex flex-col items-end gap-2">
      <SubmitButton variant="secondary" pendingText="Flushing…">Flush deferred mail</SubmitButton>
      <FormAlert result={result} all />
    </form>
  );
}
