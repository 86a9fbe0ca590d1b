/**
 * The transcript store (server/notify/transcript-store.ts) on a real migrated SQLite file:
 * batched writes, and pruning by transcript_retention_time and transcript_retention_limit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations } from '../../server/db/migrate.ts';
import { openTranscriptStore, type TranscriptRetention } from '../../server/notify/transcript-store.ts';
import type { SessionViolation } from '../../server/smtp/session-transcript.ts';

function violation(endedAt: Date, clientAddress = '192.0.2.1'): SessionViolation {
  return {
    clientAddress, clientName: 'unknown', helo: 'x', sender: null, recipients: [], classes: ['protocol'],
    restriction: null, reply: '500 5.5.2 Error: command not recognized', lines: [{ at: endedAt.toISOString(), dir: 'in', text: 'FOO' }],
    endedAt: endedAt.toISOString(),
  };
}

function withStore(retention: TranscriptRetention, t: { after(fn: () => void): void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-transcripts-'));
  const file = path.join(dir, 'portcullis.db');
  applyMigrations(file);
  const warnings: string[] = [];
  const store = openTranscriptStore(file, () => retention, (w) => warnings.push(w));
  t.after(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const addresses = (): string[] => {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare('SELECT client_address AS a FROM session_transcript ORDER BY id').all() as Array<{ a: string }>).map((r) => r.a);
    } finally {
      db.close();
    }
  };
  return { store, addresses, warnings };
}

test('retention pruning removes transcripts older than transcript_retention_time', (t) => {
  const { store, addresses, warnings } = withStore({ seconds: 30 * 86400, limit: 10000 }, t);
  const now = new Date('2026-11-22T10:00:00Z');
  store.add(violation(new Date(now.getTime() - 31 * 86400_000), '192.0.2.1'));
  store.add(violation(new Date(now.getTime() - 29 * 86400_000), '192.0.2.2'));
  store.flush();
  assert.deepEqual(addresses(), ['192.0.2.1', '192.0.2.2']);
  assert.equal(store.prune(now), 1);
  assert.deepEqual(addresses(), ['192.0.2.2']);
  assert.deepEqual(warnings, []);
});

test('retention pruning keeps only the newest transcript_retention_limit transcripts', (t) => {
  const { store, addresses } = withStore({ seconds: 30 * 86400, limit: 2 }, t);
  const now = new Date();
  for (const a of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) store.add(violation(now, a));
  store.flush();
  assert.equal(store.prune(now), 1);
  assert.deepEqual(addresses(), ['192.0.2.2', '192.0.2.3']);
});
