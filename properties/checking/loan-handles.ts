//! Loan handles of thread operations, numbered when the loan completes.
//!
//! The implementation hands out a loan's handle when the loan completes (one per successful
//! loan, in increasing order); the model numbers a loan when it takes effect. A thread's loan
//! takes effect at some instant of its window and completes later, and a loan run meanwhile
//! by another command completes first and takes the next number. Were the model's number
//! kept, the handles would force the thread's loan to take effect after that other loan,
//! and a snapshot taken at its start would be refused (a false alarm).
//!
//! So a pending loan that takes effect holds a *provisional* handle, `-thread`, with the
//! model's counter left as it was; when it completes returning handle `h`, the loan is
//! renamed `h` if `h` is the next handle then, exactly as the implementation numbers it.
//! Provisional loans are never shown to the generators (`withoutProvisionalLoans`): no
//! command can name a loan before its handle is returned.

import { castDraft, produce } from "immer";
import type { ModelState } from "../../model/state.ts";
import type { ThreadOperation } from "../../vocabulary/command.ts";
import { type Outcome, value } from "../../vocabulary/outcome.ts";
import type { ThreadId } from "../../vocabulary/units.ts";

/**
 * The outcome and state a pending operation's effect is kept as: for a loan that returned a
 * handle, the provisional handle `-thread` and the loan held under it; otherwise as they are.
 * Requires: `state` is the state the model's step left, the loan under `outcome`'s handle.
 */
export function provisionalLoan(thread: ThreadId, operation: ThreadOperation, outcome: Outcome, state: ModelState): { outcome: Outcome; state: ModelState } {
  if ((operation.kind !== "loan" && operation.kind !== "loanFile") || outcome.kind !== "value") return { outcome, state };
  const handle = outcome.value;
  const loan = state.loans[handle];
  if (loan === undefined) throw new Error(`provisionalLoan: the model's loan ${handle} is missing`);
  if (state.loans[-thread] !== undefined) throw new Error(`provisionalLoan: thread ${thread} already holds a provisional loan`);
  const renamed = produce(state, (draft) => {
    draft.loans[-thread] = castDraft(loan);
    delete draft.loans[handle];
    draft.nextHandle = handle;
  });
  return { outcome: value(-thread), state: renamed };
}

/**
 * The state after `thread`'s loan, promised with `promised`, completed returning `returned`:
 * its provisional loan renamed to the returned handle. Ensures: null if `promised` is not a
 * provisional loan or `returned` is not the handle the model would hand out now.
 */
export function boundLoan(thread: ThreadId, promised: Outcome, returned: Outcome, state: ModelState): ModelState | null {
  if (promised.kind !== "value" || promised.value !== -thread || returned.kind !== "value") return null;
  const handle = returned.value;
  const loan = state.loans[-thread];
  if (loan === undefined || handle !== state.nextHandle || state.loans[handle] !== undefined) return null;
  return produce(state, (draft) => {
    draft.loans[handle] = castDraft(loan);
    delete draft.loans[-thread];
    draft.nextHandle = handle + 1;
  });
}

/** `state` without the loans of operations still pending (what commands can name). */
export function withoutProvisionalLoans(state: ModelState): ModelState {
  const provisional = Object.keys(state.loans).filter((handle) => Number(handle) < 0);
  if (provisional.length === 0) return state;
  return produce(state, (draft) => {
    for (const handle of provisional) delete draft.loans[Number(handle)];
  });
}
