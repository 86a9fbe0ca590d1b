/**
 * Reading the stored session transcripts of violations for the console: a filtered, paged list
 * (newest first) and one transcript whole with its lines. Filters: time range, client (address
 * or name, contained), sender, recipient (contained), notify class, the restriction that fired.
 * Exports searchTranscripts, getTranscript, TranscriptQuery, TranscriptSummary, TranscriptView,
 * TRANSCRIPT_PAGE_SIZE. Reads no parameters. Rows written by another version that do not parse
 * show what could be read, never an error page.
 */
import type { PrismaClient } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import type { TranscriptLine, ViolationClass } from '../smtp/session-transcript.ts';

export const TRANSCRIPT_PAGE_SIZE = 50;

export interface TranscriptQuery {
  since?: Date;
  until?: Date;
  client?: string;       // part of the client address or name
  sender?: string;       // part of the sender; `<>` for the null sender
  recipient?: string;    // part of a recipient address
  class?: ViolationClass;
  restriction?: string;  // part of the restriction name, e.g. check_client_access
  page?: number;         // 1-based
}

/** One row of the list: everything but the lines. */
export interface TranscriptSummary {
  id: number;
  endedAt: Date;
  clientAddress: string;
  clientName: string;
  helo: string | null;
  sender: string | null;
  recipients: string[];
  classes: string[];
  restriction: string | null;
  reply: string | null;
}

export interface TranscriptView extends TranscriptSummary {
  lines: TranscriptLine[];
}

function parseList(text: string): string[] {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}

function whereOf(q: TranscriptQuery): Prisma.SessionTranscriptWhereInput {
  const and: Prisma.SessionTranscriptWhereInput[] = [];
  if (q.since) and.push({ endedAt: { gte: q.since } });
  if (q.until) and.push({ endedAt: { lte: q.until } });
  if (q.client) and.push({ OR: [{ clientAddress: { contains: q.client } }, { clientName: { contains: q.client } }] });
  if (q.sender === '<>') and.push({ sender: '' });
  else if (q.sender) and.push({ sender: { contains: q.sender } });
  // recipients and classes are JSON arrays of strings: a quoted fragment matches inside one element.
  if (q.recipient) and.push({ recipients: { contains: JSON.stringify(q.recipient).slice(1, -1) } });
  if (q.class) and.push({ classes: { contains: JSON.stringify(q.class) } });
  if (q.restriction) and.push({ restriction: { contains: q.restriction } });
  return and.length ? { AND: and } : {};
}

const SUMMARY_SELECT = {
  id: true, endedAt: true, clientAddress: true, clientName: true, helo: true, sender: true,
  recipients: true, classes: true, restriction: true, reply: true,
} as const;

/** searchTranscripts - one page of matching transcripts, newest first, and how many match in all. */
export async function searchTranscripts(prisma: PrismaClient, q: TranscriptQuery): Promise<{ rows: TranscriptSummary[]; total: number; page: number; pages: number }> {
  const where = whereOf(q);
  const total = await prisma.sessionTranscript.count({ where });
  const pages = Math.max(1, Math.ceil(total / TRANSCRIPT_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(q.page ?? 1)), pages);
  const rows = await prisma.sessionTranscript.findMany({
    where, select: SUMMARY_SELECT, orderBy: { id: 'desc' }, skip: (page - 1) * TRANSCRIPT_PAGE_SIZE, take: TRANSCRIPT_PAGE_SIZE,
  });
  return {
    rows: rows.map((r) => ({ ...r, recipients: parseList(r.recipients), classes: parseList(r.classes) })),
    total, page, pages,
  };
}

/** getTranscript - one transcript with its lines, or null. */
export async function getTranscript(prisma: PrismaClient, id: number): Promise<TranscriptView | null> {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const row = await prisma.sessionTranscript.findUnique({ where: { id }, select: { ...SUMMARY_SELECT, lines: true } });
  if (!row) return null;
  let lines: TranscriptLine[] = [];
  try {
    const parsed = JSON.parse(row.lines) as unknown;
    if (Array.isArray(parsed)) {
      lines = parsed.filter((l): l is TranscriptLine => typeof l?.text === 'string' && (l.dir === 'in' || l.dir === 'out')).map((l) => ({ at: String(l.at), dir: l.dir, text: l.text }));
    }
  } catch {
    lines = [];
  }
  return { ...row, recipients: parseList(row.recipients), classes: parseList(row.classes), lines };
}
