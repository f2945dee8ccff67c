//! Assertions shared by every layer.
//!
//! An assertion names the broken fact (`"unloanPage: page not on loan"`), never a bare
//! condition. A failed assertion is a bug in uvmcheck or in the system under test, never a
//! user error: it throws `AssertionFailure`, which the property runner reports as a
//! violation of kind `assertion` together with the step that raised it.

export class AssertionFailure extends Error {
  override readonly name = "AssertionFailure";
}

/** A system under test that stops making progress (a wait that can never be satisfied). */
export class LivenessFailure extends Error {
  override readonly name = "LivenessFailure";
}

/**
 * A broken rule of lock discipline, checked as it happens: `lock-order` (a blocking
 * acquisition against the global order), `sleep-with-lock` (a lock held across a sleep point
 * the seed does not document), `busy-owner` (a BUSY page cleared or left by the wrong thread).
 * The runner reports the rule as the check that failed.
 */
export class LockDisciplineFailure extends Error {
  override readonly name = "LockDisciplineFailure";
  constructor(
    readonly rule: "lock-order" | "sleep-with-lock" | "busy-owner",
    message: string,
  ) {
    super(message);
  }
}

/**
 * Ensures: `condition` holds, or throws an `AssertionFailure` carrying `fact`. A fact that
 * describes objects is given as a function, called only when the assertion fails: the
 * kernel's hot paths assert densely, and building every message would cost more than the
 * checks.
 */
export function assert(condition: boolean, fact: string | (() => string)): asserts condition {
  if (!condition) throw new AssertionFailure(typeof fact === "string" ? fact : fact());
}

/** The end of every exhaustive switch over a union. */
export function assertNever(value: never, what = "value"): never {
  throw new AssertionFailure(`unexpected ${what}: ${JSON.stringify(value)}`);
}
