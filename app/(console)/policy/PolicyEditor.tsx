'use client';
/**
 * The whole policy as a draft: every list and class as steps, smtpd_delay_reject, new
 * classes and removed ones. What differs from the stored policy is checked on the server as
 * you edit (checkPolicyDraftAction, debounced) and the errors are shown at their list and step
 * before anything is saved; Save sends the changed values as one revision.
 */
import { useActionState, useEffect, useMemo, useRef, useState } from 'react';
import { buttonClass } from '../../_components/button-class.ts';
import { SubmitButton } from '../../_components/buttons.tsx';
import { FormAlert } from '../../_components/form-alert.tsx';
import { Card, inputClass } from '../../_components/ui.tsx';
import type { LocatedError, PolicyEditorData, PolicyListView } from '../../_data/policy.ts';
import { formatRestrictionSteps } from '../../../server/policy/restriction-steps.ts';
import { checkPolicyDraftAction, savePolicyAction } from './actions.ts';
import { RestrictionListCard, type DraftStep } from './RestrictionListCard.tsx';

type CheckState = { state: 'idle' | 'checking' | 'done'; errors: LocatedError[]; failure?: string };

const CLASS_NAME = /^[A-Za-z0-9_]+$/;

export function PolicyEditor({ data, readOnly }: { data: PolicyEditorData; readOnly: boolean }) {
  const nextId = useRef(0);
  const newId = () => ++nextId.current;
  const fromStored = (lists: PolicyListView[]) => Object.fromEntries(lists.map((l) => [l.parameter, l.steps.map((s) => ({ ...s, id: newId() }))]));
  const [lists, setLists] = useState<Record<string, DraftStep[]>>(() => fromStored(data.lists));
  const [classes, setClasses] = useState<string[]>(data.classes);
  const [delayReject, setDelayReject] = useState(data.delayReject);
  const [newClass, setNewClass] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const [check, setCheck] = useState<CheckState>({ state: 'idle', errors: [] });
  const [saved, saveAction] = useActionState(savePolicyAction, null);
  const seq = useRef(0);

  const stored = useMemo(() => new Map(data.lists.map((l) => [l.parameter, l])), [data.lists]);
  const views: PolicyListView[] = [
    ...data.lists.filter((l) => !l.isClass || classes.includes(l.parameter)),
    ...classes.filter((c) => !stored.has(c)).map((c) => ({ parameter: c, isClass: true, help: 'New restriction class.', steps: [], stored: '', stages: null })),
  ];

  // The values that differ from the stored policy: what a save sends and the check judges.
  const changed: Record<string, string> = {};
  for (const view of views) {
    const value = formatRestrictionSteps(lists[view.parameter] ?? []);
    if (value !== (stored.get(view.parameter)?.stored ?? '')) changed[view.parameter] = value;
  }
  // A stored class removed from the draft: its definition goes with its declaration.
  for (const list of data.lists) if (list.isClass && !classes.includes(list.parameter)) changed[list.parameter] = '';
  if (delayReject !== data.delayReject) changed.smtpd_delay_reject = delayReject;
  if (classes.join(', ') !== data.classes.join(', ')) changed.smtpd_restriction_classes = classes.join(', ');
  const changedKey = JSON.stringify(changed);
  const dirty = changedKey !== '{}';

  useEffect(() => {
    const mine = ++seq.current;
    if (!dirty || readOnly) {
      setCheck({ state: 'idle', errors: [] });
      return;
    }
    setCheck((c) => ({ ...c, state: 'checking' }));
    const timer = setTimeout(async () => {
      const r = await checkPolicyDraftAction(JSON.parse(changedKey));
      if (mine !== seq.current) return;
      setCheck(r.ok ? { state: 'done', errors: r.errors } : { state: 'done', errors: [], failure: r.error });
    }, 350);
    return () => clearTimeout(timer);
  }, [changedKey, dirty, readOnly]);

  const discard = () => {
    setLists(fromStored(data.lists));
    setClasses(data.classes);
    setDelayReject(data.delayReject);
    setAnnouncement('changes discarded');
  };
  const addClass = () => {
    const name = newClass.trim();
    if (!CLASS_NAME.test(name) || classes.includes(name)) return;
    setClasses([...classes, name]);
    setLists({ ...lists, [name]: lists[name] ?? [] });
    setNewClass('');
    setAnnouncement(`restriction class ${name} added: give it steps, then name it in a list`);
  };
  const removeClass = (name: string) => {
    setClasses(classes.filter((c) => c !== name));
    setLists((all) => {
      const rest = { ...all };
      delete rest[name];
      return rest;
    });
    setAnnouncement(`restriction class ${name} removed: a list that names it must not any more`);
  };
  const generalErrors = check.errors.filter((e) => e.parameter === null || !views.some((v) => v.parameter === e.parameter));
  const problemCount = check.errors.length + (check.failure ? 1 : 0);
  const classNameProblem = newClass.trim() !== '' && (!CLASS_NAME.test(newClass.trim()) ? 'use letters, digits and _' : classes.includes(newClass.trim()) ? 'that class exists' : null);

  const listCard = (view: PolicyListView) => (
    <RestrictionListCard
      key={view.parameter} list={view} steps={lists[view.parameter] ?? []}
      onChange={(steps) => setLists((all) => ({ ...all, [view.parameter]: steps }))}
      onRemove={view.isClass ? () => removeClass(view.parameter) : undefined}
      delayReject={delayReject.trim().toLowerCase() === 'yes'} restrictions={data.restrictions} classes={classes} tables={data.tables}
      errors={check.errors.filter((e) => e.parameter === view.parameter)} readOnly={readOnly}
      changed={view.parameter in changed} newId={newId} announce={setAnnouncement}
    />
  );

  return (
    <div className="space-y-6">
      <p className="sr-only" aria-live="polite" data-testid="announcement">{announcement}</p>
      <Card title="When lists run" description="smtpd_delay_reject: wait for RCPT before rejecting, so the client, HELO and sender lists can see the recipient and the reject is logged with it (Postfix's default).">
        <div className="flex flex-wrap items-center gap-3">
          <label htmlFor="smtpd_delay_reject" className="font-mono text-sm text-slate-800">smtpd_delay_reject</label>
          {readOnly ? <code className="text-sm font-semibold">{delayReject}</code> : (
            <div className="w-28">
              <select id="smtpd_delay_reject" value={delayReject} onChange={(e) => setDelayReject(e.target.value)} className={inputClass}>
                <option value="yes">yes</option>
                <option value="no">no</option>
              </select>
            </div>
          )}
          <p className="text-sm text-slate-600">
            {delayReject.trim().toLowerCase() === 'yes'
              ? 'The client, HELO and sender lists run at each RCPT.'
              : 'Each list runs at its own command: client at connect, HELO at HELO/EHLO, sender at MAIL FROM.'}
          </p>
        </div>
      </Card>
      {generalErrors.length ? (
        <div role="alert" className="space-y-1 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
          <p className="font-semibold">The gateway would refuse this policy:</p>
          <ul className="list-disc space-y-1 pl-5">{generalErrors.map((e, k) => <li key={k}>{e.text}</li>)}</ul>
        </div>
      ) : null}

      <h2 className="text-lg font-semibold text-slate-900">Restriction lists</h2>
      <div className="grid gap-6 xl:grid-cols-2">{views.filter((v) => !v.isClass).map(listCard)}</div>

      <h2 className="text-lg font-semibold text-slate-900">Restriction classes</h2>
      <p className="-mt-4 text-sm text-slate-600">smtpd_restriction_classes: named lists that a step, or an access table&apos;s value, runs as one.</p>
      {views.some((v) => v.isClass) ? <div className="grid gap-6 xl:grid-cols-2">{views.filter((v) => v.isClass).map(listCard)}</div> : (
        <p className="text-sm text-slate-500">No restriction classes are declared.</p>
      )}
      {readOnly ? null : (
        <div className="flex max-w-md flex-wrap items-start gap-2">
          <div className="min-w-0 flex-1">
            <label htmlFor="new-class" className="sr-only">New restriction class name</label>
            <input
              id="new-class" value={newClass} onChange={(e) => setNewClass(e.target.value)} placeholder="new class name, e.g. from_partners"
              className={`${inputClass} font-mono`} aria-invalid={classNameProblem ? true : undefined}
              onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); addClass(); } }}
            />
            {classNameProblem ? <p className="mt-1 text-sm text-red-700">{classNameProblem}</p> : null}
          </div>
          <button type="button" className={buttonClass('secondary')} onClick={addClass} disabled={!newClass.trim() || !!classNameProblem}>Add class</button>
        </div>
      )}

      {readOnly ? null : (
        <div className={`${dirty ? 'sticky bottom-0 z-10' : ''} -mx-4 border-t border-slate-200 bg-white/95 px-4 py-3 shadow-[0_-2px_6px_rgba(15,23,42,0.06)] backdrop-blur sm:mx-0 sm:rounded-lg sm:border`}>
          <form action={saveAction} className="flex flex-wrap items-center justify-between gap-3">
            <input type="hidden" name="values" value={changedKey} />
            <p className="text-sm text-slate-700" data-testid="draft-status" role="status">
              {!dirty ? 'No unsaved changes.'
                : check.state === 'checking' ? 'Checking the draft as the gateway would compile it…'
                : problemCount ? <span className="font-medium text-red-700">{problemCount} {problemCount === 1 ? 'problem' : 'problems'}: fix before saving.</span>
                : <span className="font-medium text-emerald-700">{Object.keys(changed).length} changed: the gateway would accept this.</span>}
            </p>
            <div className="flex gap-2">
              <button type="button" className={buttonClass('ghost')} onClick={discard} disabled={!dirty}>Discard</button>
              <SubmitButton pendingText="Saving…" disabled={!dirty || check.state !== 'done' || problemCount > 0}>Save policy</SubmitButton>
            </div>
          </form>
          {check.failure ? <p role="alert" className="mt-2 text-sm text-red-700">{check.failure}</p> : null}
          <div className="mt-2 empty:hidden"><FormAlert result={saved} all /></div>
        </div>
      )}
    </div>
  );
}
