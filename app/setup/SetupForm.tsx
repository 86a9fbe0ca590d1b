'use client';
import { useActionState } from 'react';
import { SubmitButton } from '../_components/buttons.tsx';
import { Field, inputClass } from '../_components/ui.tsx';
import { FormAlert, fieldError } from '../_components/form-alert.tsx';
import { setupAction } from './actions.ts';

export function SetupForm({ token }: { token: string }) {
  const [result, action] = useActionState(setupAction, null);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <FormAlert result={result} />
      <Field label="User name" htmlFor="name" error={fieldError(result, 'name')}>
        <input id="name" name="name" autoComplete="username" required autoFocus className={inputClass} aria-invalid={!!fieldError(result, 'name')} />
      </Field>
      <Field label="Password" htmlFor="password" hint="At least 10 characters." error={fieldError(result, 'password')}>
        <input id="password" name="password" type="password" autoComplete="new-password" required className={inputClass} aria-invalid={!!fieldError(result, 'password')} />
      </Field>
      <Field label="Password again" htmlFor="again" error={fieldError(result, 'again')}>
        <input id="again" name="again" type="password" autoComplete="new-password" required className={inputClass} aria-invalid={!!fieldError(result, 'again')} />
      </Field>
      <SubmitButton pendingText="Creating…" className="w-full">Create administrator</SubmitButton>
    </form>
  );
}
