//! Transitions: the outcomes the model allows for one command, each with its next state.
//!
//! Most commands have exactly one specified outcome. The environment adds others: memory can
//! run out (ENOMEM, `memoryExhausted`) and devices can fail (EIO, `deviceFailure`). A property
//! decides which causes its configuration makes possible; the ample-memory property, for
//! instance, accepts only `specified` outcomes. Several allowed entries may share an outcome
//! and differ in state (an mlock that failed half way may have made some pages private); the
//! checker keeps every candidate state its observation cannot rule out.

import type { Outcome } from "../vocabulary/outcome.ts";
import { error } from "../vocabulary/outcome.ts";
import type { ModelState } from "./state.ts";

export type Cause = "specified" | "memoryExhausted" | "deviceFailure";

export interface Allowed {
  readonly outcome: Outcome;
  readonly state: ModelState;
  readonly cause: Cause;
}

export interface Transition {
  readonly allowed: readonly Allowed[];
}

export function specified(outcome: Outcome, state: ModelState): Transition {
  return { allowed: [{ outcome, state, cause: "specified" }] };
}

/** Adds "ENOMEM, and the world is one of `states`" (no effect, unless partial effects are listed). */
export function orOutOfMemory(transition: Transition, ...states: ModelState[]): Transition {
  const exhausted = states.map((state): Allowed => ({ outcome: error("ENOMEM"), state, cause: "memoryExhausted" }));
  return { allowed: [...transition.allowed, ...exhausted] };
}

/** Adds "EIO, and the world is one of `states`" (a device failure: data lost, or a file read failed). */
export function orDeviceFailure(transition: Transition, ...states: ModelState[]): Transition {
  const failed = states.map((state): Allowed => ({ outcome: error("EIO"), state, cause: "deviceFailure" }));
  return { allowed: [...transition.allowed, ...failed] };
}
