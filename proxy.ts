/**
 * Before any console route: a request without a session cookie goes to the sign-in page. This
 * is only the fast path for the browser; every page, action and route handler checks the
 * session and role itself on the server (app/_data/session.ts), so a forged cookie gets nothing.
 */
import { NextResponse, type NextRequest } from 'next/server';

const OPEN_PATHS = ['/login', '/setup', '/metrics'];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (OPEN_PATHS.some((p) => pathname === p || pathname.startsWith(p + '/'))) return NextResponse.next();
  if (request.cookies.has('portcullis_session')) return NextResponse.next();
  const login = new URL('/login', request.url);
  if (pathname !== '/') login.searchParams.set('next', pathname + search);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
