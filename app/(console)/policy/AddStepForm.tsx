'use client';
/**
 * The picker that adds a step at the end of one list: restrictions grouped by family, only
 * those whose data exists where the list runs, the chosen one's help inline, and its argument:
 * a stored table of a fitting kind for check_*_access, a DNS zone (with optional =filter) for
 * the DNS lists, a number for sleep. Restriction classes are offered as steps too.
 */
import { useState } from 'react';
import { buttonClass } from '../../_components/button-class.ts';
import { inputClass } from '../../_components/ui.tsx';
import type { RestrictionChoice, StoredTableChoice } from '../../_data/policy.ts';
import type { RestrictionStepDraft } from '../../../server/policy/restriction-steps.ts';

const FAMILY_TITLES: Record<string, string> = {
  generic: 'Generic', client: 'Client', helo: 'HELO', sender: 'Sender', recipient: 'Recipient', etrn: 'ETRN', data: 'Pipelining and bounces',
};
const CLASS_PREFIX = 'class:';
const OTHER_TABLE = '';

export function AddStepForm({ parameter, choices, classes, tables, onAdd, onCancel }: {
  parameter: string;
  choices: RestrictionChoice[];       // already limited to what can decide in this list
  classes: string[];
  tables: StoredTableChoice[];
  onAdd: (step: RestrictionStepDraft) => void;
  onCancel: () => void;
}) {
  const [picked, setPicked] = useState('');
  const [argument, setArgument] = useState('');
  const [table, setTable] = useState<string | null>(null);
  const id = `${parameter}-add`;
  const choice = choices.find((c) => c.name === picked);
  const fitting = choice?.argument === 'table' ? tables.filter((t) => choice.tableKinds.includes(t.kind)) : [];
  const tableValue = table ?? fitting[0]?.spec ?? OTHER_TABLE;
  const typedTable = choice?.argument === 'table' && tableValue === OTHER_TABLE;
  const finalArgument = choice?.argument === 'table' && !typedTable ? tableValue : argument.trim();
  const needsArgument = choice !== undefined && choice.argument !== 'none';
  const ready = picked !== '' && (!needsArgument || finalArgument !== '');

  const families = Object.keys(FAMILY_TITLES).filter((f) => choices.some((c) => c.family === f));
  const add = () => {
    if (!ready) return;
    if (picked.startsWith(CLASS_PREFIX)) onAdd({ name: picked.slice(CLASS_PREFIX.length), argument: null, warnIfReject: false });
    else onAdd({ name: picked, argument: needsArgument ? finalArgument : null, warnIfReject: false });
  };

  return (
    <div className="space-y-3 rounded-md border border-indigo-200 bg-indigo-50/40 p-3" data-testid={`${parameter}-picker`}>
      <div className="space-y-1">
        <label htmlFor={`${id}-name`} className="block text-sm font-medium text-slate-700">Restriction</label>
        <select
          id={`${id}-name`} value={picked} className={inputClass}
          onChange={(e) => { setPicked(e.target.value); setArgument(''); setTable(null); }}
        >
          <option value="">Choose a restriction…</option>
          {families.map((f) => (
            <optgroup key={f} label={FAMILY_TITLES[f]}>
              {choices.filter((c) => c.family === f).map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
            </optgroup>
          ))}
          {classes.length ? (
            <optgroup label="Restriction classes">
              {classes.map((c) => <option key={c} value={`${CLASS_PREFIX}${c}`}>{c}</option>)}
            </optgroup>
          ) : null}
        </select>
        <p className="text-xs text-slate-600" aria-live="polite">
          {choice ? choice.help : picked.startsWith(CLASS_PREFIX) ? 'Runs the steps of this restriction class here.' : 'Only restrictions that can decide in this list are offered.'}
        </p>
      </div>

      {choice?.argument === 'table' ? (
        <div className="space-y-1">
          <label htmlFor={`${id}-table`} className="block text-sm font-medium text-slate-700">Access table</label>
          <select id={`${id}-table`} value={tableValue} onChange={(e) => setTable(e.target.value)} className={inputClass}>
            {fitting.map((t) => <option key={t.spec} value={t.spec}>{t.spec} ({t.kind}, {t.entries} {t.entries === 1 ? 'entry' : 'entries'})</option>)}
            <option value={OTHER_TABLE}>Another table, typed as type:name…</option>
          </select>
          {fitting.length === 0 ? <p className="text-xs text-slate-600">No stored table of a fitting kind ({choice.tableKinds.join(', ')}) yet: add one on the Tables page, or type one.</p> : null}
        </div>
      ) : null}
      {needsArgument && (choice?.argument !== 'table' || typedTable) ? (
        <div className="space-y-1">
          <label htmlFor={`${id}-argument`} className="block text-sm font-medium text-slate-700">
            {choice?.argument === 'table' ? 'Table (type:name)' : choice?.argument === 'dns-zone' ? 'DNS zone' : 'Seconds'}
          </label>
          <input
            id={`${id}-argument`} value={argument} onChange={(e) => setArgument(e.target.value)} autoComplete="off"
            inputMode={choice?.argument === 'number' ? 'numeric' : undefined}
            placeholder={choice?.argument === 'table' ? 'hash:access' : choice?.argument === 'dns-zone' ? 'zen.spamhaus.org=127.0.0.[2..11]' : '5'}
            className={`${inputClass} font-mono`}
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } }}
          />
          {choice?.argument === 'dns-zone' ? <p className="text-xs text-slate-600">A zone name, optionally followed by =filter for the reply addresses that count (e.g. =127.0.0.2 or =127.0.0.[2..11]).</p> : null}
        </div>
      ) : null}

      <div className="flex flex-wrap gap-2">
        <button type="button" className={buttonClass('primary', 'sm')} disabled={!ready} onClick={add}>Add step</button>
        <button type="button" className={buttonClass('ghost', 'sm')} onClick={onCancel}>Cancel</button>
      </div>
    </div>
  );
}
