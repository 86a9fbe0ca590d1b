import type { Metadata } from 'next';
import { PARAMETERS } from '../../../server/config/parameters.ts';
import { transcriptSimulationInput } from '../../../server/policy/transcript-simulation-input.ts';
import { PageHeader } from '../../_components/ui.tsx';
import { getPrisma } from '../../_data/db.ts';
import { requirePageSession } from '../../_data/session.ts';
import { formatDateTime } from '../../_lib/format.ts';
import { Simulator, type SimulatorStart } from './Simulator.tsx';

export const metadata: Metadata = { title: 'Simulator' };

const EXAMPLE: SimulatorStart['form'] = {
  clientAddress: '192.0.2.10', clientName: '', helo: 'mail.example.org', protocol: 'ESMTP', sender: 'someone@example.org',
  noMail: false, recipients: 'postmaster@example.com', saslUsername: '', tls: false, policy: 'live', parameters: [], tables: [],
};

export default async function SimulatorPage({ searchParams }: { searchParams: Promise<{ transcript?: string }> }) {
  await requirePageSession();
  const prisma = getPrisma();
  const { transcript } = await searchParams;
  const recent = await prisma.sessionTranscript.findMany({
    select: { id: true, endedAt: true, clientAddress: true, clientName: true, reply: true },
    orderBy: { id: 'desc' },
    take: 25,
  });
  let start: SimulatorStart = { form: EXAMPLE, notes: [], transcriptId: null, original: null };
  const id = Number(transcript);
  if (Number.isInteger(id) && id > 0) {
    const row = await prisma.sessionTranscript.findUnique({
      where: { id },
      select: { clientAddress: true, clientName: true, helo: true, sender: true, recipients: true, lines: true, restriction: true, reply: true },
    });
    if (row === null) {
      start = { ...start, notes: [`there is no stored transcript ${id} (it may have been pruned)`] };
    } else {
      const { input, notes } = transcriptSimulationInput(row);
      start = {
        transcriptId: id,
        original: row.reply === null ? null : { reply: row.reply, restriction: row.restriction },
        notes,
        form: {
          ...EXAMPLE,
          clientAddress: input.clientAddress,
          clientName: input.clientName ?? '',
          helo: input.helo ?? '',
          protocol: input.protocol ?? 'ESMTP',
          sender: input.sender ?? '',
          noMail: input.sender === null || input.sender === undefined,
          recipients: (input.recipients ?? []).join('\n'),
          tls: input.tls ?? false,
        },
      };
    }
  }
  return (
    <>
      <PageHeader
        title="Simulator"
        description="Play an SMTP session against the live policy, or a draft of changes, and see every restriction the gateway would evaluate, stage by stage, with the reply and the log line. Nothing is sent and nothing is saved."
      />
      <Simulator
        start={start}
        parameterNames={PARAMETERS.map((p) => p.name)}
        transcripts={recent.map((t) => ({
          id: t.id, label: `#${t.id} · ${formatDateTime(t.endedAt)} · ${t.clientName}[${t.clientAddress}]${t.reply ? ` · ${t.reply.slice(0, 60)}` : ''}`,
        }))}
      />
    </>
  );
}
