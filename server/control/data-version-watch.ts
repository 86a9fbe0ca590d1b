/**
 * The fallback change notification: SQLite's `PRAGMA data_version` moves whenever another
 * connection commits to the database file (the console, `postconf -e`, an import). Polling it
 * is cheap, so a lost control-channel notification delays a policy change by at most one
 * interval and never loses it (design.md, "Policy: stored, compiled, swapped").
 * Exports watchDataVersion.
 */
import Database from 'better-sqlite3';

/** watchDataVersion - call onChange after each poll that sees a commit by someone else. */
export function watchDataVersion(dbFile: string, intervalMs: number, onChange: () => void): { stop(): void } {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  const read = () => (db.pragma('data_version', { simple: true }) as number);
  let last = read();
  const timer = setInterval(() => {
    let now: number;
    try {
      now = read();
    } catch {
      // Busy or unreadable for a moment: the next poll will see the change.
      return;
    }
    if (now !== last) {
      last = now;
      onChange();
    }
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      db.close();
    },
  };
}
