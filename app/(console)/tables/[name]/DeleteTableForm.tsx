'use client';
/** Delete the table: refused (with the reason) while a parameter names it; asks before it deletes. */
import { useActionState } from 'react';
import { useRouter } from 'next/navigation';
import { SubmitButton } from '../../../_components/buttons.tsx';
import { FormAlert } from '../../../_components/form-alert.tsx';
import type { ActionResult } from '../../../_lib/action-result.ts';
import { deleteTableAction } from '../actions.ts';

export function DeleteTableForm({ table, users }: { table: string; users: { parameter: string; spec: string }[] }) {
  const router = useRouter();
  const [result, action] = useActionState(async (prev: ActionResult | null, form: FormData) => {
    const r = await deleteTableAction(prev, form);
    if (r.ok) router.push('/tables');
    return r;
  }, null);
  return (
    <form action={action} className="space-y-3" onSubmit={(e) => { if (!window.confirm(`Delete table ${table} and all its entries?`)) e.preventDefault(); }}>
      <input type="hidden" name="table" value={table} />
      {users.length ? (
        <p className="text-sm text-slate-600">
          In use by {users.map((u) => <code key={u.parameter} className="text-xs">{u.parameter} </code>)}: the gateway would refuse its policy without it, so deleting is refused until no parameter names it.
        </p>
      ) : (
        <p className="text-sm text-slate-600">No parameter names this table. Deleting it is recorded as a revision.</p>
      )}
      <FormAlert result={result} all />
      <SubmitButton variant="danger" size="sm" pendingText="Deleting…">Delete table</SubmitButton>
    </form>
  );
}
