'use client';
/**
 * The submit button: it shows the form is working (React's useFormStatus) so nobody clicks
 * twice. Its look is button-class.ts.
 */
import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { useFormStatus } from 'react-dom';
import { buttonClass, type ButtonVariant } from './button-class.ts';

export function SubmitButton({ children, variant = 'primary', size = 'md', pendingText, className = '', ...rest }: {
  children: ReactNode; variant?: ButtonVariant; size?: 'sm' | 'md'; pendingText?: string;
} & Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'>) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending || rest.disabled} aria-busy={pending} className={`${buttonClass(variant, size)} ${className}`} {...rest}>
      {pending && pendingText ? pendingText : children}
    </button>
  );
}
