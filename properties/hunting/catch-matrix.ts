//! The catch matrix: which check caught which planted bug. A check no variant trips is a
//! dead check: nothing shows it can fail, so nothing shows it works.
//!
//! The checks of a system are the runner's that every system has (outcome, observation,
//! assertion, liveness, healed) and one per heap-walk invariant of the system
//! (`invariant:<name>`, in the system's evaluation order). A check a variant was caught by
//! that is not in the list (the thread checks `linearizability`, `lock-order`,
//! `sleep-with-lock`, or `crash`) gets a row of its own at the end.

import type { SystemFactory } from "../../vocabulary/system-under-test.ts";
import { defaultWorld } from "../../vocabulary/world.ts";

export interface CatchRow {
  readonly check: string;
  /** The variants whose first violation was this check, in the order given. */
  readonly variants: readonly string[];
}

/** Every check a run of `system` can report, in the order the runner applies them. */
export function checksOf(system: SystemFactory): string[] {
  const instance = system.create({ world: defaultWorld, variant: null, seed: 0 });
  return ["outcome", "observation", ...instance.invariantNames.map((name) => `invariant:${name}`), "assertion", "liveness", "healed"];
}

/** The checks no variant trips, except those listed in `unplanted` (checks no variant is meant to trip). */
export function deadChecks(rows: readonly CatchRow[], unplanted: readonly string[] = []): string[] {
  return rows.filter((row) => row.variants.length === 0 && !unplanted.includes(row.check)).map((row) => row.check);
}

/**
 * One row per check of `checks`, then one per other check some variant was caught by.
 * Ensures: every caught variant appears in exactly one row; survivors (null) in none.
 */
export function catchMatrix(checks: readonly string[], caught: readonly { readonly variant: string; readonly caughtBy: string | null }[]): CatchRow[] {
  const rows = new Map<string, string[]>(checks.map((check) => [check, []]));
  for (const { variant, caughtBy } of caught) {
    if (caughtBy === null) continue;
    const row = rows.get(caughtBy) ?? [];
    row.push(variant);
    rows.set(caughtBy, row);
  }
  return [...rows].map(([check, variants]) => ({ check, variants }));
}
