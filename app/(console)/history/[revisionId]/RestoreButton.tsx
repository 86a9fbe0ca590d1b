'use client';
/**
 * Restore, in two steps: the button asks, the confirmation says what will happen and submits.
 * The action checks the role again on the server.
 */
import { useActionState, useEffect, useState } from 'react';
import { buttonClass } from '../../../_components/button-class.ts';
import { SubmitButton } from '../../../_components/buttons.tsx';
import { FormAlert } from '../../../_components/form-alert.tsx';
import { restoreRevisionAction } from '../actions.ts';

export function RestoreButton({ revisionId }: { revisionId: number }) {
  const [result, action] = useActionState(restoreRevisionAction, null);
  const [confirming, setConfirming] = useState(false);
  // The answer closes the confirmation; the form stays mounted while it is pending.
  useEffect(() => {
    if (result) setConfirming(false);
  }, [result]);
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">
        Make the policy what it was right after this revision: its parameters and every table changed since. The restore is a new
        revision, so it can be undone the same way.
      </p>
      <FormAlert result={result} all />
      {confirming ? (
        <form action={action} className="space-y-3 rounded-md border border-amber-200 bg-amber-50 p-3">
          <input type="hidden" name="revisionId" value={revisionId} />
          <p className="text-sm text-amber-900">Restore revision #{revisionId}? The gateway takes it for the next SMTP session.</p>
          <div className="flex gap-2">
            <SubmitButton variant="danger" pendingText="Restoring…">Yes, restore #{revisionId}</SubmitButton>
            <button type="button" className={buttonClass('secondary')} onClick={() => setConfirming(false)} autoFocus>Cancel</button>
          </div>
        </form>
      ) : (
        <button type="button" className={buttonClass('danger')} onClick={() => setConfirming(true)}>Restore this revision</button>
      )}
    </div>
  );
}
