'use client';
/**
 * Buttons: one look for every action, and a submit button that shows the form is working
 * (React's useFormStatus) so nobody clicks twice.
 */
import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { useFormStatus } from 'react-dom';

const VARIANTS = {
  primary: 'bg-indigo-600 text-white hover:bg-indigo-500 disabled:bg-indigo-300',
  secondary: 'bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:text-slate-400',
  danger: 'bg-red-600 text-white hover:bg-red-500 disabled:bg-red-300',
  ghost: 'text-slate-700 hover:bg-slate-100 disabled:text-slate-400',
} as const;

export type ButtonVariant = keyof typeof VARIANTS;

export function buttonClass(variant: ButtonVariant = 'primary', size: 'sm' | 'md' = 'md'): string {
  const pad = size === 'sm' ? 'px-2.5 py-1 text-xs' : 'px-3.5 py-2 text-sm';
  return `inline-flex items-center justify-center gap-1.5 rounded-md font-medium shadow-sm transition-colors disabled:cursor-not-allowed ${pad} ${VARIANTS[variant]}`;
}

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
