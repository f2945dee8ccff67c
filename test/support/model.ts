// The model on its own, following the specified outcome of every command: what the model
// tests (model.test.ts, sysv-shm.test.ts) compare with the semantics they expect.
import { initialState, type ModelState } from "../../model/state.ts";
import { step } from "../../model/step.ts";
import type { Command } from "../../vocabulary/command.ts";
import { formatOutcome } from "../../vocabulary/outcome.ts";
import { defaultWorld } from "../../vocabulary/world.ts";

/** Runs `commands` from the default world's initial state, each taking its specified outcome. */
export function runSpecified(commands: readonly Command[]): { outcomes: string[]; state: ModelState } {
  let state = initialState(defaultWorld);
  const outcomes: string[] = [];
  for (const command of commands) {
    const specified = step(state, command).allowed.find((entry) => entry.cause === "specified")!;
    outcomes.push(formatOutcome(specified.outcome));
    state = specified.state;
  }
  return { outcomes, state };
}
