import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '../_components/auth-card.tsx';
import { getSession } from '../_data/session.ts';
import { LoginForm } from './LoginForm.tsx';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await getSession()) redirect('/');
  const { next } = await searchParams;
  return (
    <AuthCard title="Sign in to the console" description="Accounts are made by an administrator, or with `portcullis user add`.">
      <LoginForm next={next ?? '/'} />
    </AuthCard>
  );
}
