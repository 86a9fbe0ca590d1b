/**
 * The evaluator's trace hook: what generic_checks() would print with smtpd -v, as calls the
 * policy simulator records (server/policy/simulation-trace.ts). A session carries a trace
 * only in the simulator; the gateway's sessions have none, and then every hook costs one
 * property read and nothing else.
 * Exports: RestrictionTrace.
 * The hooks see the evaluation state as it is at that moment and must not change it: the
 * simulator is only trustworthy because it runs the same evaluator on the same snapshot.
 */
import type { RestrictionList, RestrictionStep } from './policy.ts';
import type { RestrictionRequest, RestrictionResult } from './restriction.ts';
import type { EvaluationState } from './evaluation-state.ts';
import type { ListStatus } from './evaluate-restrictions.ts';

export interface RestrictionTrace {
  /** enterList - a list, a class or a restriction list from an access-table value starts. */
  enterList(list: RestrictionList, request: RestrictionRequest): void;
  /** beginStep - one step is about to run (warn_if_reject included). */
  beginStep(step: RestrictionStep, state: EvaluationState): void;
  /** restrictionResult - what the restriction's implementation answered, before the evaluator acts on it. */
  restrictionResult(result: RestrictionResult): void;
  /** endStep - the step has run: its status, and the state it left. */
  endStep(step: RestrictionStep, status: ListStatus, state: EvaluationState): void;
  /** leaveList - the list ended, undecided (dunno) or not. */
  leaveList(list: RestrictionList, status: ListStatus): void;
}
