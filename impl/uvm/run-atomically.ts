//! Runs a sleepy kernel path that, in the situation at hand, cannot sleep (e.g. a pager put
//! that does no I/O wait). It is an assertion failure if the path yields after all.

import { assert } from "../../vocabulary/assert.ts";
import type { Sleepy } from "./sleep.ts";

export function runAtomically<T>(path: Sleepy<T>): T {
  const step = path.next();
  assert(step.done === true, () => `expected no sleep, but the path slept at ${step.done === true ? "" : step.value.site}`);
  return step.value;
}
