/**
 * Rejects of a range broken down one way (by restriction, or by SMTP stage): a name, a bar
 * proportional to the largest, and the count. Server component.
 * Exports RejectsBreakdown.
 */
import { EmptyState } from '../_components/ui.tsx';

export function RejectsBreakdown({ id, rows, nameLabel }: {
  id: string; rows: readonly { name: string; count: number }[]; nameLabel: string;
}) {
  if (!rows.length) return <EmptyState title="No rejects in this range" />;
  const largest = rows[0].count;
  return (
    <table data-testid={`rejects-${id}`} className="w-full text-sm">
      <thead className="sr-only">
        <tr><th scope="col">{nameLabel}</th><th scope="col">Rejects</th></tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name} className="align-middle">
            <td className="w-2/5 max-w-0 truncate py-1 pr-2 font-mono text-xs text-slate-800" title={r.name}>{r.name || '(unnamed)'}</td>
            <td className="py-1">
              <div className="flex items-center gap-2">
                <div className="h-2.5 flex-1 rounded bg-slate-100" aria-hidden>
                  <div className="h-2.5 rounded bg-red-500" style={{ width: `${Math.max((r.count / largest) * 100, 2)}%` }} />
                </div>
                <span className="w-12 text-right tabular-nums text-slate-900">{r.count.toLocaleString('en-US')}</span>
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
