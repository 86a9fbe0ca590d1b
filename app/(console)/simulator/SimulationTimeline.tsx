'use client';
/**
 * A simulation's result as a timeline: one card per SMTP stage with the command, the reply and
 * what decided it; under it every list and step evaluated, nested classes indented, the step
 * that decided highlighted, keys tried for table lookups, DNS answers read, and the maillog
 * lines. Stages open by default up to the first refusal; each can be folded.
 */
import { useState } from 'react';
import type { SimulatedStage, SimulationResult } from '../../../server/policy/simulate-session.ts';
import type { StepOutcome, TracedDns, TracedList, TracedLookup, TracedStep } from '../../../server/policy/simulation-trace.ts';
import type { Reply } from '../../../server/policy/reply.ts';
import { Badge } from '../../_components/ui.tsx';

type Result = Extract<SimulationResult, { ok: true }>;

const STAGE_LABEL: Record<string, string> = {
  CONNECT: 'Connect', HELO: 'HELO', EHLO: 'EHLO', MAIL: 'MAIL FROM', RCPT: 'RCPT TO', DATA: 'DATA', 'END-OF-MESSAGE': 'End of data',
};

const OUTCOME_TONE: Record<StepOutcome, 'neutral' | 'good' | 'warn' | 'bad' | 'info'> = {
  permit: 'good', dunno: 'neutral', reject: 'bad', reject_warning: 'warn', defer_if_permit: 'warn', defer_if_reject: 'warn',
  action: 'info', sleep: 'neutral', warn_if_reject: 'info', dns: 'neutral',
};

function replyText(r: Reply): string {
  return `${r.code}${r.enh ? ` ${r.enh}` : ''} ${r.text}`;
}

function replyTone(code: number): string {
  if (code >= 500) return 'text-red-700';
  if (code >= 400) return 'text-amber-700';
  return 'text-emerald-700';
}

export function SimulationTimeline({ result }: { result: Result }) {
  const refusedAt = result.stages.findIndex((s) => !s.accepted);
  const last = result.stages[result.stages.length - 1];
  const verdict = refusedAt < 0 ? null : result.stages[refusedAt];
  return (
    <div className="space-y-4">
      <section aria-label="Summary" className={`rounded-lg border p-4 ${verdict ? 'border-red-200 bg-red-50' : 'border-emerald-200 bg-emerald-50'}`}>
        <p className="text-sm font-medium text-slate-900" data-testid="simulation-verdict">
          {verdict
            ? <>Refused at {verdict.command ? <code>{verdict.command}</code> : 'connect'}: <code className={replyTone(verdict.reply.code)}>{replyText(verdict.reply)}</code></>
            : <>Accepted: <code className="text-emerald-700">{last ? replyText(last.reply) : ''}</code></>}
        </p>
        {verdict?.decision ? (
          <p className="mt-1 text-sm text-slate-700">
            Decided by <code className="font-semibold">{verdict.decision.restriction}</code> in <code>{verdict.decision.parameter}</code>
            {verdict.decision.how === 'defer_if_permit' ? ', a defer_if_permit answered at the end of the request' : ''}
            {verdict.decision.how === 'implicit' ? ', after the restriction lists' : ''}.
          </p>
        ) : null}
        <p className="mt-2 text-xs text-slate-600">
          {result.draft ? `Draft over stored revision ${result.revision}` : `Live policy, stored revision ${result.revision}`} ·
          client <code>{result.client.name}[{result.client.address}]</code>
          {result.client.lookedUp ? ` (name looked up: ${result.client.nameStatus})` : ''}
          {result.client.warning ? ` · ${result.client.warning}` : ''}
        </p>
      </section>

      {result.problems.length ? (
        <section aria-label="Problems" className="rounded-lg border border-amber-200 bg-amber-50 p-4">
          <p className="text-sm font-medium text-amber-900">The compiler notes</p>
          <ul className="mt-1 list-disc space-y-1 pl-5 font-mono text-xs text-amber-900">{result.problems.map((p) => <li key={p}>{p}</li>)}</ul>
        </section>
      ) : null}

      <ol className="space-y-3">
        {result.stages.map((stage, i) => (
          <StageCard key={i} stage={stage} initiallyOpen={refusedAt < 0 || i <= refusedAt} />
        ))}
      </ol>
    </div>
  );
}

function StageCard({ stage, initiallyOpen }: { stage: SimulatedStage; initiallyOpen: boolean }) {
  const hasDetail = stage.lists.length > 0 || stage.logLines.length > 0 || stage.note !== null || stage.dnsQueries.length > 0 || stage.lookups.length > 0;
  const [open, setOpen] = useState(initiallyOpen && hasDetail);
  const id = `stage-${stage.stage}-${stage.command ?? ''}`.replace(/[^A-Za-z0-9-]/g, '_');
  return (
    <li className={`rounded-lg border bg-white shadow-sm ${stage.accepted ? 'border-slate-200' : 'border-red-300'}`} data-testid="simulation-stage">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        disabled={!hasDetail}
        onClick={() => setOpen((o) => !o)}
        className="flex w-full flex-wrap items-baseline gap-x-3 gap-y-1 px-4 py-3 text-left"
      >
        <span className="w-24 shrink-0 text-xs font-semibold uppercase tracking-wide text-slate-500">{STAGE_LABEL[stage.stage] ?? stage.stage}</span>
        {stage.command ? <code className="text-sm text-slate-800">{stage.command}</code> : null}
        <code className={`ml-auto text-sm font-medium ${replyTone(stage.reply.code)}`}>{stage.replyLines[0]}</code>
        {stage.sleepSeconds ? <Badge tone="neutral">waits {stage.sleepSeconds} s</Badge> : null}
      </button>
      {open ? (
        <div id={id} className="space-y-3 border-t border-slate-100 px-4 py-3">
          {stage.note ? <p className="text-xs text-slate-500">{stage.note}</p> : null}
          {stage.lists.map((list, i) => <ListView key={i} list={list} />)}
          {stage.lookups.map((l, i) => <LookupView key={`l${i}`} lookup={l} />)}
          {stage.logLines.length ? (
            <div>
              <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Maillog</p>
              <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">{stage.logLines.join('\n')}</pre>
            </div>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

function ListView({ list }: { list: TracedList }) {
  return (
    <div>
      <p className="mb-1 text-xs text-slate-500">
        <code className="font-semibold text-slate-700">{list.parameter}</code> · {list.replyClass} <code>&lt;{list.replyName}&gt;</code> · ended {list.status}
      </p>
      <ol className="space-y-1">
        {list.steps.map((step, i) => <StepView key={i} step={step} />)}
      </ol>
    </div>
  );
}

function StepView({ step }: { step: TracedStep }) {
  return (
    <li
      className={`rounded-md px-2 py-1.5 text-sm ${step.decided ? 'bg-red-50 ring-2 ring-red-400' : step.underWarnIfReject ? 'bg-amber-50/60' : ''}`}
      data-decided={step.decided ? 'yes' : undefined}
    >
      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
        <span className="w-5 text-right text-xs tabular-nums text-slate-400">{step.index}</span>
        <code className="font-medium text-slate-900">{step.name}</code>
        {step.argument ? <code className="text-slate-600">{step.argument}</code> : null}
        {step.restriction && step.restriction !== step.name ? <span className="text-xs text-slate-500">({step.restriction})</span> : null}
        <Badge tone={OUTCOME_TONE[step.outcome]}>{step.outcome}</Badge>
        {step.underWarnIfReject ? <Badge tone="warn">under warn_if_reject</Badge> : null}
        {step.decided ? <Badge tone="bad">decided</Badge> : null}
      </div>
      <div className="ml-7 space-y-1">
        {step.reply ? <code className={`block text-xs ${replyTone(step.reply.code)}`}>{replyText(step.reply)}</code> : null}
        {step.text ? <p className="text-xs text-slate-600">{step.text}</p> : null}
        {step.lookups.map((l, i) => <LookupView key={i} lookup={l} />)}
        {step.dns.map((d, i) => <DnsView key={i} dns={d} />)}
        {step.warnings.map((w) => <p key={w} className="text-xs text-amber-800">warning: {w}</p>)}
        {step.nested.length ? (
          <div className="mt-1 space-y-2 border-l-2 border-slate-200 pl-3">
            {step.nested.map((list, i) => <ListView key={i} list={list} />)}
          </div>
        ) : null}
      </div>
    </li>
  );
}

function LookupView({ lookup }: { lookup: TracedLookup }) {
  return (
    <div className="text-xs text-slate-600">
      <code className="text-slate-700">{lookup.table}</code> tried{' '}
      {lookup.keysTried.map((k, i) => (
        <code
          key={i}
          className={`mr-1 inline-block rounded px-1 ${k === lookup.key && lookup.status === 'found' ? 'bg-indigo-100 font-semibold text-indigo-900' : 'bg-slate-100'}`}
        >
          {k}
        </code>
      ))}
      {lookup.status === 'found'
        ? <>→ <code className="text-slate-900">{lookup.key} {lookup.value}</code>{lookup.line !== null ? ` (line ${lookup.line})` : ''}</>
        : lookup.status === 'retry' ? <span className="text-amber-700">→ temporary lookup failure{lookup.value ? `: ${lookup.value}` : ''}</span>
        : '→ no match'}
    </div>
  );
}

function DnsView({ dns }: { dns: TracedDns }) {
  return (
    <p className="text-xs text-slate-600">
      DNS <code>{dns.type} {dns.name}</code>{' '}
      {dns.status === 'found' ? <>→ <code className="text-slate-900">{dns.records.join(', ')}</code></>
        : dns.status === 'retry' ? <span className="text-amber-700">→ temporary failure ({dns.reason})</span>
        : '→ not found'}
    </p>
  );
}
