/** The transcript filters: a GET form, so a filtered list is a link one can share or bookmark. */
import { buttonClass } from '../../_components/button-class.ts';
import { Field, inputClass } from '../../_components/ui.tsx';

export function TranscriptFilters({ values, classes }: { values: Record<string, string | undefined>; classes: readonly string[] }) {
  return (
    <form method="get" action="/transcripts" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      <Field label="Client" htmlFor="f-client" hint="Address or name, or part of it">
        <input id="f-client" name="client" defaultValue={values.client} className={inputClass} placeholder="192.0.2.7" />
      </Field>
      <Field label="Sender" htmlFor="f-sender" hint="Part of the address; <> for the null sender">
        <input id="f-sender" name="sender" defaultValue={values.sender} className={inputClass} />
      </Field>
      <Field label="Recipient" htmlFor="f-recipient">
        <input id="f-recipient" name="recipient" defaultValue={values.recipient} className={inputClass} />
      </Field>
      <Field label="Restriction" htmlFor="f-restriction" hint="e.g. reject_unauth_destination">
        <input id="f-restriction" name="restriction" defaultValue={values.restriction} className={inputClass} />
      </Field>
      <Field label="Class" htmlFor="f-class">
        <select id="f-class" name="class" defaultValue={values.class ?? ''} className={inputClass}>
          <option value="">any</option>
          {classes.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      </Field>
      <Field label="Since (UTC)" htmlFor="f-since">
        <input id="f-since" name="since" type="datetime-local" defaultValue={values.since} className={inputClass} />
      </Field>
      <Field label="Until (UTC)" htmlFor="f-until">
        <input id="f-until" name="until" type="datetime-local" defaultValue={values.until} className={inputClass} />
      </Field>
      <div className="flex items-end gap-2">
        <button type="submit" className={buttonClass('primary')}>Filter</button>
        <a href="/transcripts" className={buttonClass('ghost')}>Clear</a>
      </div>
    </form>
  );
}
