//! Kernel status codes. A function that "returns an error" returns a `Status`: 0 for
//! success, otherwise an errno. `ERESTART` is internal to the fault handler (redo the whole
//! fault from the map lookup, seed F:795-838) and is never returned to a user.

import { assert } from "../../vocabulary/assert.ts";
import type { Errno } from "../../vocabulary/outcome.ts";

export type KernelError = Errno | "ERESTART";
export type Status = 0 | KernelError;

/**
 * What a function that makes or finds something returns: on success (status 0) the thing
 * under `name`, else the error and null there, so a caller that checked the status needs
 * no `!` to use the thing.
 */
export type Result<Name extends string, T> =
  | ({ readonly status: 0 } & { readonly [key in Name]: T })
  | ({ readonly status: KernelError } & { readonly [key in Name]: null });

/** A status as a user sees it: kernel-internal codes never reach a user. */
export function toErrno(status: Exclude<Status, 0>): Errno {
  assert(status !== "ERESTART", "internal status ERESTART escaped to a user");
  return status;
}
