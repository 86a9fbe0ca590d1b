import type { Metadata } from 'next';
import { AuthCard } from '../_components/auth-card.tsx';
import { isSetupTokenValid } from '../../server/accounts/setup-token.ts';
import { getPrisma } from '../_data/db.ts';
import { SetupForm } from './SetupForm.tsx';

export const metadata: Metadata = { title: 'First administrator' };
export const dynamic = 'force-dynamic';

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token = '' } = await searchParams;
  if (!(await isSetupTokenValid(getPrisma(), token))) {
    return (
      <AuthCard title="This setup link is not valid" description="An account exists already, or the link expired or was mistyped.">
        <p className="text-sm text-slate-600">
          <a className="font-medium text-indigo-700 hover:underline" href="/login">Sign in</a>, or restart the gateway for a new link while no account exists.
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Create the first administrator" description="This link works once. The account can do everything, including adding more accounts.">
      <SetupForm token={token} />
    </AuthCard>
  );
}
