'use client';
import { useActionState } from 'react';
import { SubmitButton } from '../../_components/buttons.tsx';
import { Field, inputClass } from '../../_components/ui.tsx';
import { FormAlert, fieldError } from '../../_components/form-alert.tsx';
import { addUserAction } from './actions.ts';

export function AddUserForm() {
  const [result, action] = useActionState(addUserAction, null);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormAlert result={result} />
      <Field label="User name" htmlFor="new-name" error={fieldError(result, 'name')}>
        <input id="new-name" name="name" autoComplete="off" className={inputClass} aria-invalid={!!fieldError(result, 'name')} />
      </Field>
      <Field label="Role" htmlFor="new-role" error={fieldError(result, 'role')}>
        <select id="new-role" name="role" defaultValue="auditor" className={inputClass}>
          <option value="auditor">auditor (read-only)</option>
          <option value="admin">admin</option>
        </select>
      </Field>
      <Field label="Password" htmlFor="new-password" hint="At least 10 characters." error={fieldError(result, 'password')}>
        <input id="new-password" name="password" type="password" autoComplete="new-password" className={inputClass} aria-invalid={!!fieldError(result, 'password')} />
      </Field>
      <SubmitButton pendingText="Adding…">Add account</SubmitButton>
    </form>
  );
}
