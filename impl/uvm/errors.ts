//! Kernel status codes. A function that "returns an error" returns a `Status`: 0 for
//! success, otherwise an errno. `ERESTART` is internal to the fault handler (redo the whole
//! fault from the map lookup, seed F:795-838) and is never returned to a user; `EBUSY` and
//! `ENOENT` are internal to the loan code.

import type { Errno } from "../../vocabulary/outcome.ts";

export type KernelError = Errno | "ERESTART" | "EBUSY" | "ENOENT";
export type Status = 0 | KernelError;
