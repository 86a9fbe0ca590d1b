'use client';
/**
 * One restriction list (or class) as ordered steps: each with its help, its warn_if_reject
 * toggle and the errors the draft check placed on it; reordered by dragging or with the move
 * buttons (focus stays on the moved step's button, and a live region says where it went),
 * removed, or added through the picker. Read-only for roles that may not change policy.
 */
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { buttonClass } from '../../_components/button-class.ts';
import { Badge, Breakable, Card, EmptyState } from '../../_components/ui.tsx';
import type { LocatedError, PolicyListView, RestrictionChoice, StoredTableChoice } from '../../_data/policy.ts';
import { findStepOfListIndex, type RestrictionStepDraft } from '../../../server/policy/restriction-steps.ts';
import { AddStepForm } from './AddStepForm.tsx';

export type DraftStep = RestrictionStepDraft & { id: number };

export function RestrictionListCard({ list, steps, onChange, onRemove, delayReject, restrictions, classes, tables, errors, readOnly, changed, newId, announce }: {
  list: PolicyListView;
  steps: DraftStep[];
  onChange: (steps: DraftStep[]) => void;
  onRemove?: () => void;            // a class: remove it from the draft
  delayReject: boolean;
  restrictions: RestrictionChoice[];
  classes: string[];
  tables: StoredTableChoice[];
  errors: LocatedError[];           // the draft check's errors about this list
  readOnly: boolean;
  changed: boolean;
  newId: () => number;
  announce: (text: string) => void;
}) {
  const [adding, setAdding] = useState(false);
  const [dragging, setDragging] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const [focus, setFocus] = useState<{ id: number; direction: 'up' | 'down' } | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const byName = new Map(restrictions.map((r) => [r.name, r]));
  const runsAt = list.stages ? list.stages[delayReject ? 'yes' : 'no'] : null;
  const choices = restrictions.filter((r) => r.pickable && (runsAt === null || r.stages.some((s) => runsAt.includes(s))));
  const stepClasses = classes.filter((c) => c !== list.parameter);

  const listErrors = errors.filter((e) => e.index === null || findStepOfListIndex(steps, e.index) < 0);
  const stepErrors = (i: number) => errors.filter((e) => e.index !== null && findStepOfListIndex(steps, e.index) === i);

  useEffect(() => {
    if (!focus) return;
    const wanted = buttons.current.get(`${focus.id}:${focus.direction}`);
    const other = buttons.current.get(`${focus.id}:${focus.direction === 'up' ? 'down' : 'up'}`);
    (wanted && !wanted.disabled ? wanted : other)?.focus();
    setFocus(null);
  }, [focus, steps]);

  const move = (from: number, to: number, direction?: 'up' | 'down') => {
    if (to < 0 || to >= steps.length || from === to) return;
    const next = [...steps];
    const [step] = next.splice(from, 1);
    next.splice(to, 0, step);
    onChange(next);
    announce(`${step.name} moved to position ${to + 1} of ${next.length} in ${list.parameter}`);
    if (direction) setFocus({ id: step.id, direction });
  };
  const remove = (i: number) => {
    const step = steps[i];
    onChange(steps.filter((_, k) => k !== i));
    announce(`${step.name} removed from ${list.parameter}`);
  };
  const setWarn = (i: number, warnIfReject: boolean) => onChange(steps.map((s, k) => (k === i ? { ...s, warnIfReject } : s)));

  const dragHandlers = (i: number) => readOnly ? {} : {
    draggable: true,
    onDragStart: (e: DragEvent) => { e.dataTransfer.effectAllowed = 'move'; e.dataTransfer.setData('text/plain', String(steps[i].id)); setDragging(steps[i].id); },
    onDragOver: (e: DragEvent) => { if (dragging === null) return; e.preventDefault(); setOver(i); },
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      const from = steps.findIndex((s) => s.id === dragging);
      if (from >= 0) move(from, i);
      setDragging(null);
      setOver(null);
    },
    onDragEnd: () => { setDragging(null); setOver(null); },
  };

  const title = (
    <span className="flex flex-wrap items-center gap-2">
      <code className="break-words font-mono text-sm"><Breakable text={list.parameter} /></code>
      {list.isClass ? <Badge tone="info">class</Badge> : null}
      {changed ? <Badge tone="warn">changed</Badge> : null}
      {errors.length ? <Badge tone="bad">{errors.length} {errors.length === 1 ? 'problem' : 'problems'}</Badge> : null}
    </span>
  );
  return (
    <Card
      title={title}
      description={<>{list.help}{runsAt ? <> Runs at {runsAt.join(', ')}.</> : null}</>}
    >
      <div data-testid={`list-${list.parameter}`} className="space-y-3">
        {listErrors.map((e, k) => <p key={k} role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{e.text}</p>)}
        {steps.length === 0 ? (
          <EmptyState title="No steps">
            {list.isClass ? 'A class needs at least one step.' : 'The list answers dunno: the next list decides.'}
          </EmptyState>
        ) : (
          <ol className="space-y-2">
            {steps.map((step, i) => {
              const entry = byName.get(step.name.toLowerCase());
              const isClass = !entry && classes.includes(step.name);
              const help = entry?.help ?? (isClass ? 'Restriction class: runs its own steps here.' : step.name.includes(':') ? `Access table looked up as this list's check_*_access would.` : 'Unknown restriction: the gateway refuses it.');
              const problems = stepErrors(i);
              return (
                <li
                  key={step.id}
                  data-testid={`step-${list.parameter}-${i + 1}`}
                  aria-invalid={problems.length > 0 || undefined}
                  className={`rounded-md border bg-white px-3 py-2 shadow-sm transition-colors ${problems.length ? 'border-red-300' : 'border-slate-200'} ${over === i && dragging !== null ? 'ring-2 ring-indigo-400' : ''} ${dragging === step.id ? 'opacity-50' : ''}`}
                  {...dragHandlers(i)}
                >
                  <div className="flex items-start gap-2">
                    {readOnly ? null : <span className="mt-0.5 cursor-grab select-none text-slate-400" aria-hidden title="Drag to reorder">⋮⋮</span>}
                    <span className="mt-0.5 w-5 shrink-0 text-right text-xs tabular-nums text-slate-400">{i + 1}</span>
                    <div className="min-w-0 flex-1">
                      <p className="break-words font-mono text-sm">
                        {step.warnIfReject ? <span className="text-amber-700">warn_if_reject </span> : null}
                        <span className="font-semibold text-slate-900"><Breakable text={step.name} /></span>
                        {step.argument !== null ? <span className="text-indigo-700"> <Breakable text={step.argument} /></span> : null}
                      </p>
                      <p className="mt-0.5 text-xs text-slate-500">{help}</p>
                    </div>
                  </div>
                  {problems.map((e, k) => <p key={k} role="alert" className="mt-1 pl-7 text-sm text-red-700">{e.text}</p>)}
                  {readOnly ? null : (
                    <div className="mt-2 flex flex-wrap items-center justify-between gap-2 pl-7">
                      <label className="inline-flex items-center gap-1.5 text-xs text-slate-700" title="Log what this step would reject as reject_warning, and go on">
                        <input type="checkbox" className="size-4 accent-amber-600" checked={step.warnIfReject} onChange={(e) => setWarn(i, e.target.checked)} />
                        warn_if_reject<span className="hidden sm:inline"> (try without rejecting)</span>
                      </label>
                      <span className="flex gap-1">
                        <button
                          type="button" className={buttonClass('ghost', 'sm')} aria-label={`Move ${step.name} up`} disabled={i === 0}
                          ref={(b) => { if (b) buttons.current.set(`${step.id}:up`, b); else buttons.current.delete(`${step.id}:up`); }}
                          onClick={() => move(i, i - 1, 'up')}
                        >↑</button>
                        <button
                          type="button" className={buttonClass('ghost', 'sm')} aria-label={`Move ${step.name} down`} disabled={i === steps.length - 1}
                          ref={(b) => { if (b) buttons.current.set(`${step.id}:down`, b); else buttons.current.delete(`${step.id}:down`); }}
                          onClick={() => move(i, i + 1, 'down')}
                        >↓</button>
                        <button type="button" className={`${buttonClass('ghost', 'sm')} text-red-700`} aria-label={`Remove ${step.name}`} onClick={() => remove(i)}>Remove</button>
                      </span>
                    </div>
                  )}
                </li>
              );
            })}
          </ol>
        )}
        {readOnly ? null : adding ? (
          <AddStepForm
            parameter={list.parameter} choices={choices} classes={stepClasses} tables={tables}
            onCancel={() => setAdding(false)}
            onAdd={(step) => {
              onChange([...steps, { ...step, id: newId() }]);
              announce(`${step.name} added at position ${steps.length + 1} of ${list.parameter}`);
              setAdding(false);
            }}
          />
        ) : (
          <button type="button" className={buttonClass('secondary', 'sm')} onClick={() => setAdding(true)} aria-label={`Add a step to ${list.parameter}`}>+ Add step</button>
        )}
        {readOnly || !onRemove ? null : (
          <button type="button" className={`${buttonClass('ghost', 'sm')} ml-2 text-red-700`} onClick={onRemove} aria-label={`Remove class ${list.parameter}`}>Remove class</button>
        )}
      </div>
    </Card>
  );
}
