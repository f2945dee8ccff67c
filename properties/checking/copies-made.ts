//! The system's count of the private copies a command made (SystemUnderTest.copiesMade),
//! used to choose among the states the model allows for an ENOMEM.
//!
//! An access or mlock that runs out of memory may keep the private copies its faults made
//! before it gave up, or none (allowance `copyKeptOnEnomem`: UVM's promotion is in the amap
//! before pmap_enter fails). The model offers both states; nothing visible tells them apart
//! until the page's source changes, a device failure loses the copy, or the copy is written,
//! so a checker that carries both doubles its configurations at every such failure (a long
//! run keeps the most it may, each checked at every step). With the count, only the states
//! with that many new copies stay. A count no allowed state has keeps them all: the count
//! only narrows what the model allows, and a wrong one shows later, as an observation the
//! state it chose cannot explain.

import type { Outcome } from "../../vocabulary/outcome.ts";
import type { Configuration } from "./configurations.ts";

/** An outcome the model allows, the configuration it leads to, and the private copies (fresh cells) it made there. */
export interface ExplainedOutcome {
  readonly outcome: Outcome;
  readonly copies: number;
  readonly configuration: Configuration;
}

/** `entries` (all allowing `outcome`) narrowed to those that made `copies` copies, when `outcome` is ENOMEM and some did. */
export function withCopiesMade(entries: readonly ExplainedOutcome[], outcome: Outcome, copies: number | undefined): readonly ExplainedOutcome[] {
  if (copies === undefined || outcome.kind !== "error" || outcome.errno !== "ENOMEM") return entries;
  const counted = entries.filter((entry) => entry.copies === copies);
  return counted.length > 0 ? counted : entries;
}
