//! pageout, failNext, clearFailures: commands to the simulated machine itself.
//!
//! The page daemon changes nothing anyone can read (data moves between frames, disk and swap),
//! except that a swap write failure during pageout destroys the data it was writing; the model
//! allows that loss to show later (failures.ts). failNext arms one failure of a kind;
//! clearFailures switches injection off, so from then on no new loss can be explained.

import { produce } from "immer";
import type { ClearFailures, FailNext, Pageout } from "../vocabulary/command.ts";
import { failureKinds } from "../vocabulary/failure.ts";
import { error, ok } from "../vocabulary/outcome.ts";
import type { ModelState } from "./state.ts";
import { specified, type Transition } from "./transition.ts";

export function pageout(state: ModelState, command: Pageout): Transition {
  const valid = Number.isInteger(command.targetFreeFrames) && command.targetFreeFrames >= 0;
  return specified(valid ? ok : error("EINVAL"), state);
}

export function failNext(state: ModelState, command: FailNext): Transition {
  if (!failureKinds.includes(command.failure)) return specified(error("EINVAL"), state);
  const next = produce(state, (draft) => {
    draft.failures.armed[command.failure] = (draft.failures.armed[command.failure] ?? 0) + 1;
  });
  return specified(ok, next);
}

export function clearFailures(state: ModelState, _command: ClearFailures): Transition {
  const next = produce(state, (draft) => {
    draft.failures.armed = {};
    draft.failures.rated = {};
  });
  return specified(ok, next);
}
