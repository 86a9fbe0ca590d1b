/**
 * Which lines of a transcript to highlight: the gateway's first violating reply ('refused') and
 * the client line it answered ('command'), the last client line before it. With pipelining that
 * is the last command sent before the reply, which is what an administrator reads it as too.
 */
import type { TranscriptLine } from '../../../../server/smtp/session-transcript.ts';

export type LineMark = 'refused' | 'command' | null;

export function markRefusal(lines: readonly TranscriptLine[], reply: string | null): LineMark[] {
  const marks: LineMark[] = lines.map(() => null);
  if (!reply) return marks;
  const at = lines.findIndex((l) => l.dir === 'out' && (l.text === reply || (l.text.length > 3 && reply.startsWith(l.text))));
  if (at < 0) return marks;
  marks[at] = 'refused';
  for (let i = at - 1; i >= 0; i--) {
    if (lines[i].dir === 'in') {
      marks[i] = 'command';
      break;
    }
  }
  return marks;
}
