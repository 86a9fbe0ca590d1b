'use client';
/**
 * A link that looks like a button (pager, export, clear search). A client component because
 * buttonClass() lives in the client buttons module; a disabled one is a span.
 */
import Link from 'next/link';
import type { ReactNode } from 'react';
import { buttonClass, type ButtonVariant } from '../../_components/buttons.tsx';

export function ButtonLink({ href, variant = 'secondary', size = 'md', download = false, children }: {
  href: string | null; variant?: ButtonVariant; size?: 'sm' | 'md'; download?: boolean; children: ReactNode;
}) {
  if (href === null) return <span className={`${buttonClass(variant, size)} opacity-50`} aria-disabled>{children}</span>;
  if (download) return <a href={href} download className={buttonClass(variant, size)}>{children}</a>;
  return <Link href={href} className={buttonClass(variant, size)}>{children}</Link>;
}
