'use server';
/**
 * Simulator page action: play one session against the live policy or a draft over it
 * (server/policy/simulate-session.ts). Any signed-in role may run it: it writes nothing, and
 * a draft stays in the browser until it is saved on the pages that change policy.
 */
import { z } from 'zod';
import { simulateSession, type SimulationResult } from '../../../server/policy/simulate-session.ts';
import type { DraftPolicy } from '../../../server/policy/simulation-snapshot.ts';
import { readPostmapLines } from '../../../server/maps/postmap-source.ts';
import { splitTableLine, TABLE_KINDS } from '../../../server/maps/table-store.ts';
import { getDataDir } from '../../_data/db.ts';
import { requireActionSession } from '../../_data/session.ts';

const ZSimulation = z.object({
  clientAddress: z.string().trim().min(1, 'give the client IP address'),
  clientName: z.string().trim(),
  helo: z.string().trim(),
  protocol: z.enum(['ESMTP', 'SMTP']),
  sender: z.string().trim(),
  noMail: z.boolean(),
  recipients: z.string(),
  saslUsername: z.string().trim(),
  tls: z.boolean(),
  policy: z.enum(['live', 'draft']),
  parameters: z.array(z.object({ name: z.string().trim(), value: z.string(), useDefault: z.boolean() })).max(200),
  tables: z.array(z.object({ name: z.string().trim(), kind: z.enum(TABLE_KINDS), source: z.string() })).max(20),
});

export type TSimulation = z.infer<typeof ZSimulation>;

export type SimulationResponse =
  | { ok: true; result: Extract<SimulationResult, { ok: true }> }
  | { ok: false; error: string; field?: string; errors?: string[]; problems?: string[] };

export async function runSimulationAction(request: TSimulation): Promise<SimulationResponse> {
  const auth = await requireActionSession(null);
  if (!auth.ok) return auth;
  const parsed = ZSimulation.safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: issue.message, field: String(issue.path[0]) };
  }
  const s = parsed.data;
  let draft: DraftPolicy | null = null;
  if (s.policy === 'draft') {
    const parameters: Record<string, string | null> = {};
    for (const p of s.parameters) {
      if (p.name === '') continue;
      if (!/^[A-Za-z0-9_]+$/.test(p.name)) return { ok: false, error: `not a parameter name: "${p.name}"`, field: 'parameters' };
      parameters[p.name] = p.useDefault ? null : p.value;
    }
    const tables = s.tables.filter((t) => t.name !== '').map((t) => ({
      name: t.name,
      kind: t.kind,
      lines: readPostmapLines(t.source, t.name).lines.map((l) => splitTableLine(t.kind, l.text)),
    }));
    draft = { parameters, tables };
  }
  const result = await simulateSession(getDataDir(), {
    clientAddress: s.clientAddress,
    clientName: s.clientName === '' ? null : s.clientName,
    helo: s.helo === '' ? null : s.helo,
    protocol: s.protocol,
    sender: s.noMail ? null : s.sender.replace(/^<|>$/g, ''),
    recipients: s.noMail ? [] : s.recipients.split(/[\s,]+/).map((r) => r.replace(/^<|>$/g, '')).filter((r) => r !== ''),
    saslUsername: s.saslUsername === '' ? null : s.saslUsername,
    tls: s.tls,
  }, draft === null ? { kind: 'live' } : { kind: 'draft', draft });
  if (!result.ok) {
    const field = result.errors.some((e) => e.startsWith('client address')) ? 'clientAddress'
      : result.errors.some((e) => e.startsWith('client hostname')) ? 'clientName' : undefined;
    return {
      ok: false,
      error: field ? result.errors[0] : s.policy === 'draft' ? 'the gateway would refuse this draft' : 'the stored policy does not compile',
      ...(field ? { field } : {}),
      errors: result.errors,
      problems: result.problems,
    };
  }
  return { ok: true, result };
}
