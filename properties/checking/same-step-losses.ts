//! What a read-only operation completing in a step may have met (linearizer.ts): the state at
//! its completion, after the operations that completed before it in the same step; and there,
//! the data their failed swap-ins destroyed, which no observation has shown yet (a swap-in is
//! for the data the operation was after when it started: a lent page's anon stays lost for
//! the loan after its process unmapped it).

import { castDraft, produce } from "immer";
import { processOf } from "../../model/checks.ts";
import { type Losable, losableData, markLost } from "../../model/failures.ts";
import { findRegion } from "../../model/regions.ts";
import type { ModelState } from "../../model/state.ts";
import type { Allowed } from "../../model/transition.ts";
import type { ThreadOperation } from "../../vocabulary/command.ts";
import { type Outcome, outcomeEquals } from "../../vocabulary/outcome.ts";
import type { Configuration } from "./configurations.ts";
import type { PendingOperation } from "./pending-operation.ts";

/** The data `operation` (a read, a loan's read) would read in `state`, which a failed swap-in would destroy. */
export function dataRead(state: ModelState, operation: ThreadOperation): Losable[] {
  if (operation.kind === "loanRead") {
    const cell = state.loans[operation.handle]?.pages[operation.index];
    return cell === undefined ? [] : [{ kind: "cell", tag: cell.tag }];
  }
  if (operation.kind !== "read") return [];
  const process = processOf(state, operation.pid);
  const region = process === null ? null : findRegion(process.regions, operation.va);
  const data = region === null ? null : losableData(state, region, operation.va);
  return data === null ? [] : [data];
}

/**
 * The configurations where `operation` returns `returned` taking effect now, in `configurations`
 * as they are or, if none, with `lost` destroyed. `steps`: the model's allowed steps.
 */
export function explainedAtCompletion(
  configurations: readonly Configuration[],
  operation: ThreadOperation,
  returned: Outcome,
  lost: readonly Losable[],
  steps: (state: ModelState, operation: ThreadOperation) => readonly Allowed[],
): Configuration[] {
  const explained = (among: readonly Configuration[]) =>
    among.flatMap((configuration) =>
      steps(configuration.state, operation)
        .filter((entry) => outcomeEquals(entry.outcome, returned))
        .map((entry) => ({ ...configuration, state: entry.state })),
    );
  const now = explained(configurations);
  if (now.length > 0 || lost.length === 0) return now;
  const destroyed = (state: ModelState) => produce(state, (draft) => {
      // shared memory destroyed since (its last mapping gone) has nothing left to lose
      for (const data of lost) if (data !== null && (data.kind === "cell" || draft.sharedMemories[data.memory] !== undefined)) markLost(draft, data);
    });
  return explained(configurations.map((configuration) => ({ ...configuration, state: destroyed(configuration.state) })));
}

/**
 * The states a read's step leaves when it returns `returned` (a zero-fill copy, data found
 * lost), now; or, if nothing now explains it, with the device failures of when it started
 * (its I/O was issued then), the failures themselves left as they are now.
 */
export function readEffects(
  state: ModelState,
  operation: PendingOperation,
  returned: Outcome,
  steps: (state: ModelState, operation: ThreadOperation) => readonly Allowed[],
): ModelState[] {
  const effects = (from: ModelState) => steps(from, operation.operation).filter((entry) => outcomeEquals(entry.outcome, returned) && entry.state !== from);
  const now = effects(state);
  if (now.length > 0) return now.map((entry) => entry.state);
  const then = produce(state, (draft) => {
    draft.failures = castDraft(operation.failuresAtStart);
  });
  return effects(then).map((entry) =>
    produce(entry.state, (draft) => {
      draft.failures = castDraft(state.failures);
    }),
  );
}
