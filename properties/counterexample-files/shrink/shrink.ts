//! `uvmcheck shrink`: reduces a counterexample further than fast-check does, keeping its
//! failure signature (the same check; step and message may change).
//!
//! fast-check shrinks the *templates* it generated; what it hands over still carries
//! commands that only mattered to the generator, arguments larger than needed and the
//! whole default world. This shrinker works on the concrete commands, in rounds of
//!
//!   1. deletion      chunks, then single commands, until 1-minimal (deletion.ts)
//!   2. processes     fold a process into the one it came from (renumber.ts)
//!   3. arguments     smaller numbers, fewer pages, plainer options (arguments.ts)
//!   4. files         canonical file numbers and pages (renumber.ts)
//!   5. world         fewer frames, swap slots, processes, ...; no unneeded failures (world.ts)
//!
//! until a round changes nothing, so the result is 1-minimal for the final arguments and
//! world. Every step is an attempt that is kept only if it still fails the same way
//! (attempt.ts), and none makes anything bigger: the result is never longer than the input.
//! Deterministic: no randomness, the same input always gives the same output.

import type { Command } from "../../../vocabulary/command.ts";
import type { WorldConfig } from "../../../vocabulary/world.ts";
import type { ReplaySetup } from "../replay.ts";
import type { Violation } from "../../checking/runner.ts";
import { simplifyArguments } from "./arguments.ts";
import { type Candidate, type Effort, initialCandidate, type Shrinking } from "./attempt.ts";
import { deleteChunks, deleteSingles } from "./deletion.ts";
import { mergeProcesses, renumberFiles } from "./renumber.ts";
import { shrinkWorld } from "./world.ts";

export interface ShrinkResult {
  readonly setup: ReplaySetup;
  readonly commands: readonly Command[];
  readonly violation: Violation;
  readonly before: { readonly commands: number; readonly world: WorldConfig };
  readonly after: { readonly commands: number; readonly world: WorldConfig };
  /** Runs attempted. */
  readonly attempts: number;
  /** False if the attempt budget ran out before a round changed nothing. */
  readonly complete: boolean;
}

/** Most attempts one shrink makes (each is one replay of a few commands). */
export const defaultAttemptBudget = 50_000;
const ROUNDS_MAX = 16;

function signatureOf(candidate: Candidate): string {
  return JSON.stringify([candidate.setup.world, candidate.setup.failures, candidate.setup.hardwareSeed, candidate.commands.map((item) => item.command)]);
}

function* round(current: Candidate, effort: Effort): Shrinking<Candidate> {
  current = yield* deleteChunks(current, effort);
  current = yield* deleteSingles(current, effort);
  current = yield* mergeProcesses(current, effort);
  current = yield* simplifyArguments(current, effort);
  current = yield* renumberFiles(current, effort);
  current = yield* shrinkWorld(current, effort);
  return yield* deleteSingles(current, effort);
}

/** Rounds until one changes nothing (or the budget is spent). */
function* rounds(initial: Candidate, commands: readonly Command[], setup: ReplaySetup, effort: Effort): Shrinking<ShrinkResult> {
  let current = initial;
  let complete = false;
  for (let count = 0; count < ROUNDS_MAX && !complete; count++) {
    const before = signatureOf(current);
    current = yield* round(current, effort);
    complete = signatureOf(current) === before;
  }
  complete &&= effort.attempts < effort.budget;
  return {
    setup: current.setup,
    commands: current.commands.map((item) => item.command),
    violation: current.violation,
    before: { commands: commands.length, world: setup.world },
    after: { commands: current.commands.length, world: current.setup.world },
    attempts: effort.attempts,
    complete,
  };
}

/** Runs a shrink to its end. */
function drain<T>(steps: Shrinking<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}

/**
 * Requires: `commands` fail under `setup`. Ensures: a counterexample failing with the same
 * check, no longer than `commands`, in a world no larger; null if `commands` do not fail.
 */
export function shrinkCounterexample(setup: ReplaySetup, commands: readonly Command[], budget = defaultAttemptBudget): ShrinkResult | null {
  const initial = initialCandidate(setup, commands);
  if (initial === null) return null;
  return drain(rounds(initial, commands, setup, { attempts: 0, budget }));
}

/**
 * shrinkCounterexample with a turn of the event loop before each attempt, so a signal
 * handler can run; once `stopRequested()` says so, no further attempt is made and the
 * result is the smallest counterexample found so far (`complete` false). `onAttempt` hears
 * the number of attempts made, before each new one.
 */
export async function shrinkCounterexampleInterruptibly(
  setup: ReplaySetup,
  commands: readonly Command[],
  watch: { readonly stopRequested: () => boolean; readonly onAttempt?: (attempts: number) => void },
  budget = defaultAttemptBudget,
): Promise<ShrinkResult | null> {
  const initial = initialCandidate(setup, commands);
  if (initial === null) return null;
  const effort: Effort = { attempts: 0, budget };
  const steps = rounds(initial, commands, setup, effort);
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    watch.onAttempt?.(effort.attempts);
    if (watch.stopRequested()) {
      effort.budget = effort.attempts;
      return { ...drain(steps), complete: false };
    }
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}
