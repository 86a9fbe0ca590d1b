/**
 * Every console page sits in this shell: it requires a session (no page renders without one),
 * shows the navigation for the user's role, who is signed in, and which policy revision the
 * gateway runs and since when.
 */
import type { ReactNode } from 'react';
import { ConsoleNav } from '../_components/console-nav.tsx';
import { NAV_ITEMS } from '../_components/nav-items.ts';
import { SubmitButton } from '../_components/buttons.tsx';
import { requirePageSession } from '../_data/session.ts';
import { getGatewayStatus } from '../_data/gateway.ts';
import { formatDateTime } from '../_lib/format.ts';
import { signOut } from './sign-out-action.ts';

export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await requirePageSession();
  const gateway = await getGatewayStatus();
  const items = NAV_ITEMS.filter((i) => !i.adminOnly || session.user.role === 'admin');
  return (
    <div className="lg:flex lg:min-h-screen">
      <aside className="bg-slate-900 px-4 py-4 lg:w-56 lg:shrink-0 lg:py-6">
        <div className="flex items-center justify-between gap-4 lg:block">
          <a href="/" className="block text-lg font-semibold tracking-tight text-white lg:mb-6">Portcullis</a>
          <ConsoleNav items={items} />
        </div>
      </aside>
      <div className="min-w-0 flex-1">
        <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 bg-white px-4 py-2 text-sm sm:px-6">
          <p data-testid="gateway-status" className="text-slate-600">
            {gateway.running ? (
              <>
                <span className="mr-1.5 inline-block size-2 rounded-full bg-emerald-500" aria-hidden />
                Gateway runs policy revision <strong className="text-slate-900">{gateway.revision}</strong>, taken {formatDateTime(gateway.takenAt)}
              </>
            ) : (
              <>
                <span className="mr-1.5 inline-block size-2 rounded-full bg-red-500" aria-hidden />
                Gateway not reachable: {gateway.error}
              </>
            )}
          </p>
          <form action={signOut} className="flex items-center gap-3">
            <span className="text-slate-600">
              <strong className="text-slate-900">{session.user.name}</strong> · {session.user.role}
            </span>
            <SubmitButton variant="secondary" size="sm">Sign out</SubmitButton>
          </form>
        </header>
        <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6">{children}</main>
      </div>
    </div>
  );
}
