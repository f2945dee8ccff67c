//! The system's count of the copies a command made (SystemUnderTest.copiesMade), used to
//! choose among the states the model allows for an ENOMEM and for a loan to anons.
//!
//! An access or mlock that runs out of memory may keep the private copies its faults made
//! before it gave up, or none (allowance `copyKeptOnEnomem`: UVM's promotion is in the amap
//! before pmap_enter fails). The model offers both states; nothing visible tells them apart
//! until the page's source changes, a device failure loses the copy, or the copy is written,
//! so a checker that carries both doubles its configurations at every such failure (a long
//! run keeps the most it may, each checked at every step). Likewise a loan to anons of a page
//! an earlier loan lent may hand out that earlier anon or a new one (allowance
//! `objectLoanReusesAnon`). With the count, only the states with that many new copies (fresh
//! cells, model/state.ts `nextTag`) stay. A count no allowed state has keeps them all: the
//! count only narrows what the model allows, and a wrong one shows later, as an observation
//! the state it chose cannot explain.

import type { Command } from "../../vocabulary/command.ts";
import type { Outcome } from "../../vocabulary/outcome.ts";
import type { Configuration } from "./configurations.ts";

/** An outcome the model allows, the configuration it leads to, and the private copies (fresh cells) it made there. */
export interface ExplainedOutcome {
  readonly outcome: Outcome;
  readonly copies: number;
  readonly configuration: Configuration;
}

/** Whether `command`'s `outcome` may leave states that differ in the copies made: an ENOMEM, a loan to anons that succeeded. */
function choosesCopies(command: Command, outcome: Outcome): boolean {
  if (outcome.kind === "error") return outcome.errno === "ENOMEM";
  return command.kind === "loan" && command.to === "anon";
}

/** `entries` (all allowing `command`'s `outcome`) narrowed to those that made `copies` copies, where the count chooses and some did. */
export function withCopiesMade(entries: readonly ExplainedOutcome[], command: Command, outcome: Outcome, copies: number | undefined): readonly ExplainedOutcome[] {
  if (copies === undefined || !choosesCopies(command, outcome)) return entries;
  const counted = entries.filter((entry) => entry.copies === copies);
  return counted.length > 0 ? counted : entries;
}
