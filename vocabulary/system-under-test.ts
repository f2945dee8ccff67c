//! The contract between the checker and a system under test.
//!
//! The checker drives a system with commands and, after each one, compares what it returned
//! and what it holds with the model, then asks the system to check its own heap-walk
//! invariants. The UVM implementation is one such system (impl/uvm-system.ts); a user can
//! plug in another one (see docs/pluggable-systems.md).

import type { Command } from "./command.ts";
import type { Observation } from "./observation.ts";
import type { Outcome } from "./outcome.ts";
import type { WorldConfig } from "./world.ts";

/** A broken heap-walk invariant: which one, and the first object that breaks it. */
export interface InvariantViolation {
  readonly invariant: string;
  readonly message: string;
}

export interface SystemUnderTest {
  /** Executes one command to completion. */
  apply(command: Command): Outcome;
  /** Reads every mapped page and every file without faulting, out of the system's structures. */
  observe(): Observation;
  /** Runs every heap-walk invariant; returns the first one broken. */
  checkInvariants(): InvariantViolation | null;
  /** The names of the invariants `checkInvariants` evaluates, in evaluation order. */
  readonly invariantNames: readonly string[];
  /** How often each named path has been taken since creation. */
  coverage(): ReadonlyMap<string, number>;
}

/** A named planted bug: a canary, a mutant, or a seed-bug variant. */
export interface VariantInfo {
  readonly name: string;
  readonly kind: "canary" | "mutant" | "seed-bug";
  readonly description: string;
  /** The seed lines (or simulator function) the bug corrupts, e.g. `F:1434-1435`. */
  readonly corrupts: string;
}

export interface SystemOptions {
  readonly world: WorldConfig;
  /** The planted bug switched on, or null for the faithful system. */
  readonly variant: string | null;
  /** Seeds the hardware's random source (failure injection). */
  readonly seed: number;
}

export interface SystemFactory {
  readonly name: string;
  readonly description: string;
  readonly variants: readonly VariantInfo[];
  /** The coverage counters a fixed-seed campaign must drive above zero. */
  readonly requiredCoverage: readonly string[];
  create(options: SystemOptions): SystemUnderTest;
}
