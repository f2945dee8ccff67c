//! Kernel status codes. A function that "returns an error" returns a `Status`: 0 for
//! success, otherwise an errno. `ERESTART` is internal to the fault handler (redo the whole
//! fault from the map lookup, seed F:795-838) and is never returned to a user.

import { assert } from "../../vocabulary/assert.ts";
import type { Errno } from "../../vocabulary/outcome.ts";

export type KernelError = Errno | "ERESTART";
export type Status = 0 | KernelError;

/** A status as a user sees it: kernel-internal codes never reach a user. */
export function toErrno(status: Exclude<Status, 0>): Errno {
  assert(status !== "ERESTART", "internal status ERESTART escaped to a user");
  return status;
}
