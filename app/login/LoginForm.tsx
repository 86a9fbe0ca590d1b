'use client';
import { useActionState, useState } from 'react';
import { SubmitButton } from '../_components/buttons.tsx';
import { Field, inputClass } from '../_components/ui.tsx';
import { FormAlert, fieldError } from '../_components/form-alert.tsx';
import { signInAction } from './actions.ts';

export function LoginForm({ next }: { next: string }) {
  const [result, action] = useActionState(signInAction, null);
  // Controlled, so a refused attempt keeps the name (React resets uncontrolled fields after an action).
  const [name, setName] = useState('');
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="next" value={next} />
      <FormAlert result={result} />
      <Field label="User name" htmlFor="name" error={fieldError(result, 'name')}>
        <input id="name" name="name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="username" required autoFocus className={inputClass} aria-invalid={!!fieldError(result, 'name')} />
      </Field>
      <Field label="Password" htmlFor="password" error={fieldError(result, 'password')}>
        <input id="password" name="password" type="password" autoComplete="current-password" required className={inputClass} aria-invalid={!!fieldError(result, 'password')} />
      </Field>
      <SubmitButton pendingText="Signing in…" className="w-full">Sign in</SubmitButton>
    </form>
  );
}
