//! Outcomes: what a command returns, as the user process would see it.
//!
//! `ok` and `value(n)` are successes; every failure is an errno. The model answers with the
//! set of outcomes it allows (several, where the specification is nondeterministic: memory
//! exhaustion, injected device failures, interleavings); the implementation answers with one.

export type Errno =
  | "EFAULT" // no mapping at the address, or a layerless entry (case 0)
  | "EACCES" // protection forbids the access or the new protection
  | "EINVAL" // malformed range or argument
  | "ENOMEM" // no memory, no address space, or an unmapped range where memory is required
  | "EIO" // data lost to a device failure
  | "ENOENT" // a loan of an unmapped page
  | "EBUSY" // a file loan that meets a wired page
  | "EAGAIN" // process table full
  | "ENOSPC" // the SysV shared memory segment table full
  | "ESRCH"; // no such process

export type Outcome = { readonly kind: "ok" } | { readonly kind: "value"; readonly value: number } | { readonly kind: "error"; readonly errno: Errno };

export const ok: Outcome = { kind: "ok" };
export const value = (n: number): Outcome => ({ kind: "value", value: n });
export const error = (errno: Errno): Outcome => ({ kind: "error", errno });

export function outcomeEquals(a: Outcome, b: Outcome): boolean {
  if (a.kind === "ok") return b.kind === "ok";
  if (a.kind === "value") return b.kind === "value" && a.value === b.value;
  return b.kind === "error" && a.errno === b.errno;
}

/** `ok`, `=42`, `EFAULT`: the spelling used in traces and reports. */
export function formatOutcome(outcome: Outcome): string {
  if (outcome.kind === "ok") return "ok";
  if (outcome.kind === "value") return `=${outcome.value}`;
  return outcome.errno;
}
