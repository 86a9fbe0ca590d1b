/**
 * Replays one recorded Postfix 3.7 dialogue (a conformance case) against a gateway and
 * compares what matters to a client: reply codes, enhanced status codes, and whether the
 * server closed the connection. Texts are compared loosely and reported, not judged, as in the
 * reference suite. Case format: test/conformance/README.md.
 */
import { SmtpClient, dataWire, type SmtpReply } from '../support/smtp-client.ts';
import type { ExpectedDelivery } from './observe-delivery.ts';

export interface ConformanceCase {
  id: string;
  feature: string;
  description: string;
  config: { main: Record<string, string>; files?: Record<string, string | string[]>; dns_zone_extra?: string[] };
  requires?: string[];
  client: { ip?: string; pipelining?: boolean; steps: Step[]; closeWaitMs?: number };
  observe_delivery?: { marker: string; wait_ms?: number };
  expect: { replies: ExpectedReply[]; closed: boolean; delivery?: ExpectedDelivery[] }; // delivery: what Postfix forwarded
}

type Text = string | { repeat: string; times: number; prefix?: Text; suffix?: Text } | Text[];
type Step =
  | { send: Text; replies?: number; noCRLF?: boolean; timeoutMs?: number }
  | { pipeline: Text[] }
  | { data: Text; generate?: { bytes: number; lineLength?: number }; raw?: boolean }
  | { raw: Text; replies?: number }
  | { sleep: number };

export interface ExpectedReply { step: string; code?: number; enh?: string | null; text?: string; closed?: boolean; timeout?: boolean }

export interface Observation { step: string; code?: number; enh?: string | null; text?: string; closed?: boolean; timeout?: boolean }

function expand(t: Text): string {
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.map(expand).join('');
  return (t.prefix ? expand(t.prefix) : '') + t.repeat.repeat(t.times) + (t.suffix ? expand(t.suffix) : '');
}

function generated(g: { bytes: number; lineLength?: number }, headers: string): string {
  const ll = g.lineLength ?? 76;
  const lines: string[] = [];
  for (let n = 0, i = 0; n < g.bytes; n += ll + 2) lines.push(String(i++ % 10).repeat(ll));
  return headers.replace(/\n?$/, '\n') + '\n' + lines.join('\n') + '\n';
}

const observe = (step: string, r: SmtpReply | null): Observation => (r ? { step, code: r.code, enh: r.enh, text: r.text } : { step, closed: true });

/** replayCase - run the client script; every wait is bounded. */
export async function replayCase(c: ConformanceCase, port: number): Promise<{ replies: Observation[]; closed: boolean }> {
  const client = await SmtpClient.connect(port, { localAddress: c.client.ip ?? '127.0.0.1' });
  const replies: Observation[] = [observe('connect', await client.read(8000))];
  const next = async (label: string) => {
    const r = await client.read(8000).then((reply) => observe(label, reply), (): Observation => ({ step: label, timeout: true }));
    replies.push(r);
  };
  try {
    for (const step of c.client.steps) {
      if (client.closed && 'sleep' in step === false) { replies.push({ step: 'not sent', closed: true }); continue; }
      if ('sleep' in step) await new Promise((r) => setTimeout(r, step.sleep));
      else if ('send' in step) {
        const line = expand(step.send);
        client.write(Buffer.from(line + (step.noCRLF ? '' : '\r\n'), 'utf8'));
        for (let k = 0; k < (step.replies ?? 1); k++) await next(line.slice(0, 60));
      } else if ('pipeline' in step) {
        const lines = step.pipeline.map(expand);
        client.write(lines.map((l) => l + '\r\n').join(''));
        for (const l of lines) await next(l.slice(0, 60));
      } else if ('data' in step) {
        const body = step.generate ? generated(step.generate, expand(step.data)) : expand(step.data);
        client.write(step.raw ? Buffer.from(body, 'binary') : Buffer.from(dataWire(body), 'utf8'));
        await next('<message>');
      } else {
        client.write(Buffer.from(expand(step.raw), 'latin1'));
        for (let k = 0; k < (step.replies ?? 0); k++) await next('<raw>');
      }
    }
    // Did the server close (QUIT, 421, hard error limit)? An unsolicited reply counts too.
    const tail = await client.read(c.client.closeWaitMs ?? 1500).catch(() => undefined);
    let closed = tail === null;
    if (tail) {
      replies.push(observe('<unsolicited>', tail));
      closed = (await client.read(1000).catch(() => undefined)) === null;
    }
    return { replies, closed };
  } finally {
    client.close();
  }
}

/** compareCase - the mismatches in code, enhanced code and connection close; [] means pass. */
export function compareCase(c: ConformanceCase, got: { replies: Observation[]; closed: boolean }): string[] {
  const problems: string[] = [];
  const n = Math.max(c.expect.replies.length, got.replies.length);
  for (let i = 0; i < n; i++) {
    const e = c.expect.replies[i];
    const g = got.replies[i];
    const show = (o?: ExpectedReply | Observation) => (!o ? 'nothing' : o.closed ? 'closed' : o.timeout ? 'timeout' : `${o.code} ${o.enh ?? '-'} ${o.text}`);
    const same = e && g && !!e.closed === !!g.closed && !!e.timeout === false && e.code === g.code && (e.enh ?? null) === (g.enh ?? null);
    if (!same) problems.push(`step ${i} [${e?.step ?? g?.step}]: expected ${show(e)}, got ${show(g)}`);
  }
  if (c.expect.closed !== got.closed) problems.push(`connection closed: expected ${c.expect.closed}, got ${got.closed}`);
  return problems;
}
