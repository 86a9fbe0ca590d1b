import type { Metadata } from 'next';
import { canChangePolicy } from '../../../server/accounts/console-role.ts';
import { PageHeader } from '../../_components/ui.tsx';
import { getPolicyEditorData } from '../../_data/policy.ts';
import { requirePageSession } from '../../_data/session.ts';
import { PolicyEditor } from './PolicyEditor.tsx';

export const metadata: Metadata = { title: 'Policy' };

export default async function PolicyPage() {
  const session = await requirePageSession();
  const readOnly = !canChangePolicy(session.user.role);
  const data = await getPolicyEditorData();
  return (
    <>
      <PageHeader
        title="Policy"
        description={readOnly
          ? 'The restriction lists the gateway evaluates, step by step, in order. Your role may read them, not change them.'
          : 'The restriction lists the gateway evaluates, step by step, in order: the first step that decides ends the list. Changes are checked as the gateway compiles them before you save, and the gateway takes them for the next SMTP session.'}
      />
      <PolicyEditor data={data} readOnly={readOnly} />
    </>
  );
}
