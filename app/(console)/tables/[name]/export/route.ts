/**
 * A stored table as a postmap source file download, as `portcullis export` writes it. A route
 * handler checks the session itself (layouts do not run for it): 401 without one.
 */
import { getSession } from '../../../../_data/session.ts';
import { readTableExport } from '../../../../_data/tables.ts';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, { params }: { params: Promise<{ name: string }> }): Promise<Response> {
  const session = await getSession();
  if (!session) return new Response('sign in first\n', { status: 401, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const name = decodeURIComponent((await params).name);
  const text = readTableExport(name);
  if (text === null) return new Response(`no table "${name}" is stored\n`, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const file = name.split('/').pop()!.replace(/[^A-Za-z0-9._-]/g, '_');
  return new Response(text, {
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': `attachment; filename="${file}"`,
      'cache-control': 'no-store',
    },
  });
}
