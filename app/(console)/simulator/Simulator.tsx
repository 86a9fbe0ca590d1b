'use client';
/**
 * The simulator: the session form (client, HELO, envelope, live policy or a draft with its
 * parameter and table overlay), run with the button or Ctrl+Enter from any field, and the
 * stage-by-stage result beside it (SimulationTimeline.tsx).
 */
import { useEffect, useRef, useState, useTransition, type KeyboardEvent } from 'react';
import { buttonClass } from '../../_components/button-class.ts';
import { Card, Field, inputClass } from '../../_components/ui.tsx';
import { runSimulationAction, type SimulationResponse, type TSimulation } from './actions.ts';
import { SimulationTimeline } from './SimulationTimeline.tsx';

export interface SimulatorStart {
  form: TSimulation;
  notes: string[];            // what a loaded transcript could not give
  transcriptId: number | null;
  original: { reply: string; restriction: string | null } | null; // what the gateway answered in the stored session
}

const KINDS = ['exact', 'cidr', 'regexp', 'pcre'] as const;

export function Simulator({ start, parameterNames, transcripts }: {
  start: SimulatorStart; parameterNames: string[]; transcripts: { id: number; label: string }[];
}) {
  const [form, setForm] = useState<TSimulation>(start.form);
  const [response, setResponse] = useState<SimulationResponse | null>(null);
  const [pending, startTransition] = useTransition();
  const results = useRef<HTMLDivElement>(null);
  const set = <K extends keyof TSimulation>(key: K, value: TSimulation[K]) => setForm((f) => ({ ...f, [key]: value }));
  const fieldError = (field: string) => (response && !response.ok && response.field === field ? response.error : null);

  const run = () => {
    startTransition(async () => {
      const r = await runSimulationAction(form);
      setResponse(r);
      requestAnimationFrame(() => results.current?.focus());
    });
  };
  // A transcript opened from the Transcripts page is played at once.
  const replayed = useRef(false);
  useEffect(() => {
    if (start.transcriptId === null || replayed.current) return;
    replayed.current = true;
    run();
  });
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
    }
  };

  return (
    <div className="grid gap-6 xl:grid-cols-[24rem_minmax(0,1fr)]">
      <div className="space-y-4">
        <Card title="Session">
          <form
            className="space-y-4"
            noValidate
            onKeyDown={onKeyDown}
            onSubmit={(e) => {
              e.preventDefault();
              run();
            }}
          >
            {start.transcriptId !== null ? (
              <div className="rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-900">
                <p>Loaded from stored transcript #{start.transcriptId}.</p>
                {start.original ? (
                  <p className="mt-1">
                    The gateway answered then: <code className="break-all">{start.original.reply}</code>
                    {start.original.restriction ? <> ({start.original.restriction})</> : null}
                  </p>
                ) : null}
              </div>
            ) : null}
            {start.notes.map((n) => <p key={n} className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">{n}</p>)}
            <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-1">
              <Field label="Client address" htmlFor="clientAddress" error={fieldError('clientAddress')}>
                <input id="clientAddress" value={form.clientAddress} onChange={(e) => set('clientAddress', e.target.value)}
                  className={`${inputClass} font-mono`} aria-invalid={!!fieldError('clientAddress')} autoComplete="off" spellCheck={false} />
              </Field>
              <Field label="Client hostname" htmlFor="clientName" hint="Empty: looked up (PTR, then forward-confirmed) as the gateway does. unknown: no name." error={fieldError('clientName')}>
                <input id="clientName" value={form.clientName} onChange={(e) => set('clientName', e.target.value)} placeholder="look it up"
                  className={`${inputClass} font-mono`} aria-invalid={!!fieldError('clientName')} autoComplete="off" spellCheck={false} />
              </Field>
            </div>
            <div className="grid grid-cols-[6rem_1fr] gap-2">
              <Field label="Greeting" htmlFor="protocol">
                <select id="protocol" value={form.protocol} onChange={(e) => set('protocol', e.target.value as 'ESMTP' | 'SMTP')} className={inputClass}>
                  <option value="ESMTP">EHLO</option>
                  <option value="SMTP">HELO</option>
                </select>
              </Field>
              <Field label="HELO name" htmlFor="helo" hint="Empty: the client sends none.">
                <input id="helo" value={form.helo} onChange={(e) => set('helo', e.target.value)} className={`${inputClass} font-mono`} autoComplete="off" spellCheck={false} />
              </Field>
            </div>
            <Field label="Sender (MAIL FROM)" htmlFor="sender" hint="Empty: the null sender <>.">
              <input id="sender" value={form.sender} onChange={(e) => set('sender', e.target.value)} disabled={form.noMail}
                className={`${inputClass} font-mono`} autoComplete="off" spellCheck={false} />
            </Field>
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" checked={form.noMail} onChange={(e) => set('noMail', e.target.checked)} className="size-4 rounded border-slate-300" />
              Stop after the greeting (no MAIL FROM)
            </label>
            <Field label="Recipients (RCPT TO)" htmlFor="recipients" hint="One per line, in the order the client sends them.">
              <textarea id="recipients" rows={3} value={form.recipients} onChange={(e) => set('recipients', e.target.value)} disabled={form.noMail}
                className={`${inputClass} font-mono`} spellCheck={false} />
            </Field>
            <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-1">
              <Field label="SASL login" htmlFor="saslUsername" hint="Empty: not logged in.">
                <input id="saslUsername" value={form.saslUsername} onChange={(e) => set('saslUsername', e.target.value)} className={`${inputClass} font-mono`} autoComplete="off" />
              </Field>
              <label className="flex items-center gap-2 self-end text-sm text-slate-700">
                <input type="checkbox" checked={form.tls} onChange={(e) => set('tls', e.target.checked)} className="size-4 rounded border-slate-300" />
                TLS (after STARTTLS)
              </label>
            </div>

            <fieldset className="space-y-2">
              <legend className="text-sm font-medium text-slate-700">Policy</legend>
              <div className="flex gap-4 text-sm">
                <label className="flex items-center gap-2">
                  <input type="radio" name="policy" checked={form.policy === 'live'} onChange={() => set('policy', 'live')} /> Live (stored)
                </label>
                <label className="flex items-center gap-2">
                  <input type="radio" name="policy" checked={form.policy === 'draft'} onChange={() => set('policy', 'draft')} /> Draft
                </label>
              </div>
              {form.policy === 'draft' ? (
                <DraftEditor form={form} set={set} parameterNames={parameterNames} error={fieldError('parameters')} />
              ) : null}
            </fieldset>

            <div className="flex flex-wrap items-center gap-3">
              <button type="submit" disabled={pending} aria-busy={pending} className={buttonClass('primary')}>
                {pending ? 'Simulating…' : 'Simulate'}
              </button>
              <span className="text-xs text-slate-500"><kbd className="rounded border border-slate-300 px-1">Ctrl</kbd>+<kbd className="rounded border border-slate-300 px-1">Enter</kbd> from any field</span>
            </div>
          </form>
        </Card>
        <Card title="Load a stored transcript" description="A session the gateway refused, played again against today's policy.">
          {transcripts.length === 0 ? (
            <p className="text-sm text-slate-500">No transcripts are stored.</p>
          ) : (
            <form method="get" action="/simulator" className="flex gap-2">
              <label htmlFor="transcript" className="sr-only">Transcript</label>
              <select id="transcript" name="transcript" defaultValue={start.transcriptId ?? undefined} className={inputClass}>
                {transcripts.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
              </select>
              <button type="submit" className={buttonClass('secondary')}>Load</button>
            </form>
          )}
        </Card>
      </div>

      <div ref={results} tabIndex={-1} className="min-w-0 outline-none" aria-live="polite">
        {response === null ? (
          <div className="rounded-lg border border-dashed border-slate-300 px-6 py-16 text-center text-sm text-slate-500">
            Fill in the session and press <strong>Simulate</strong>: each stage shows the restrictions evaluated, the one that decided, and the reply.
          </div>
        ) : response.ok ? (
          <SimulationTimeline result={response.result} />
        ) : (
          <div role="alert" className="space-y-2 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900">
            <p className="font-medium">{response.error}</p>
            {response.errors && response.errors.length > (response.field ? 1 : 0) ? (
              <ul className="list-disc space-y-1 pl-5 font-mono text-xs">{response.errors.map((e) => <li key={e}>{e}</li>)}</ul>
            ) : null}
          </div>
        )}
      </div>
    </div>
  );
}

function DraftEditor({ form, set, parameterNames, error }: {
  form: TSimulation;
  set: <K extends keyof TSimulation>(key: K, value: TSimulation[K]) => void;
  parameterNames: string[];
  error: string | null;
}) {
  const parameters = form.parameters;
  const tables = form.tables;
  const setParameter = (i: number, change: Partial<TSimulation['parameters'][number]>) =>
    set('parameters', parameters.map((p, j) => (j === i ? { ...p, ...change } : p)));
  const setTable = (i: number, change: Partial<TSimulation['tables'][number]>) =>
    set('tables', tables.map((t, j) => (j === i ? { ...t, ...change } : t)));
  return (
    <div className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3">
      <p className="text-xs text-slate-600">Changes over the stored policy, for this simulation only.</p>
      <datalist id="parameter-names">{parameterNames.map((n) => <option key={n} value={n} />)}</datalist>
      {parameters.map((p, i) => (
        <div key={i} className="space-y-1 rounded-md bg-white p-2 ring-1 ring-slate-200">
          <div className="flex gap-2">
            <label htmlFor={`draft-name-${i}`} className="sr-only">Parameter</label>
            <input id={`draft-name-${i}`} list="parameter-names" value={p.name} placeholder="smtpd_recipient_restrictions"
              onChange={(e) => setParameter(i, { name: e.target.value })} className={`${inputClass} font-mono`} autoComplete="off" spellCheck={false} />
            <button type="button" onClick={() => set('parameters', parameters.filter((_, j) => j !== i))} className={buttonClass('ghost', 'sm')} aria-label={`Remove ${p.name || 'parameter'}`}>✕</button>
          </div>
          <label htmlFor={`draft-value-${i}`} className="sr-only">Value of {p.name}</label>
          <textarea id={`draft-value-${i}`} rows={2} value={p.value} disabled={p.useDefault} placeholder="value"
            onChange={(e) => setParameter(i, { value: e.target.value })} className={`${inputClass} font-mono`} spellCheck={false} />
          <label className="flex items-center gap-2 text-xs text-slate-600">
            <input type="checkbox" checked={p.useDefault} onChange={(e) => setParameter(i, { useDefault: e.target.checked })} /> back to its default
          </label>
        </div>
      ))}
      {tables.map((t, i) => (
        <div key={`t${i}`} className="space-y-1 rounded-md bg-white p-2 ring-1 ring-slate-200">
          <div className="flex gap-2">
            <label htmlFor={`draft-table-${i}`} className="sr-only">Table name</label>
            <input id={`draft-table-${i}`} value={t.name} placeholder="table name" onChange={(e) => setTable(i, { name: e.target.value })}
              className={`${inputClass} font-mono`} autoComplete="off" spellCheck={false} />
            <label htmlFor={`draft-kind-${i}`} className="sr-only">Kind</label>
            <select id={`draft-kind-${i}`} value={t.kind} onChange={(e) => setTable(i, { kind: e.target.value as TSimulation['tables'][number]['kind'] })} className={`${inputClass} w-28`}>
              {KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
            </select>
            <button type="button" onClick={() => set('tables', tables.filter((_, j) => j !== i))} className={buttonClass('ghost', 'sm')} aria-label={`Remove table ${t.name}`}>✕</button>
          </div>
          <label htmlFor={`draft-source-${i}`} className="sr-only">Source of {t.name}</label>
          <textarea id={`draft-source-${i}`} rows={3} value={t.source} placeholder="postmap source: key value, one per line"
            onChange={(e) => setTable(i, { source: e.target.value })} className={`${inputClass} font-mono`} spellCheck={false} />
        </div>
      ))}
      {error ? <p role="alert" className="text-sm text-red-700">{error}</p> : null}
      <div className="flex flex-wrap gap-2">
        <button type="button" className={buttonClass('secondary', 'sm')} onClick={() => set('parameters', [...parameters, { name: '', value: '', useDefault: false }])}>
          Add parameter
        </button>
        <button type="button" className={buttonClass('secondary', 'sm')} onClick={() => set('tables', [...tables, { name: '', kind: 'exact', source: '' }])}>
          Add table
        </button>
      </div>
    </div>
  );
}
