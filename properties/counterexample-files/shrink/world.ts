//! Shrinking the world the counterexample runs in: fewer frames, swap slots, processes,
//! files, file pages, address-space pages and page words; no injected failure that is not
//! needed; hardware seed 0. Each parameter goes down to the least value that still gives
//! the same failure (tried in increasing order, so the first success is the least), and
//! never below what `validateWorld` accepts.

import { validateWorld, type WorldConfig } from "../../../vocabulary/world.ts";
import type { ReplaySetup } from "../replay.ts";
import { type Candidate, type Effort, type Shrinking, attempt } from "./attempt.ts";

/** The parameters shrunk, in order, with the least value each may take. */
const parameters: readonly [keyof WorldConfig, number][] = [
  ["frames", 1],
  ["swapSlots", 0],
  ["maxProcesses", 1],
  ["files", 1],
  ["filePages", 1],
  ["vaPages", 1],
  ["pageWords", 1],
];

/** Every value in [least, value) when there are few, else a ladder of them; increasing. */
function smallerValues(value: number, least: number): number[] {
  if (value - least <= 64) return Array.from({ length: value - least }, (_, index) => least + index);
  const ladder: number[] = [];
  for (let candidate = least; candidate < value; candidate = candidate === 0 ? 1 : candidate * 2) ladder.push(candidate);
  for (let distance = Math.floor((value - least) / 2); distance >= 1; distance = Math.floor(distance / 2)) ladder.push(value - distance);
  return [...new Set(ladder)].sort((a, b) => a - b);
}

function* withSetup(current: Candidate, setup: ReplaySetup, effort: Effort): Shrinking<Candidate | null> {
  return yield* attempt(setup, current.commands, current.violation, current.commands.length, effort);
}

function* shrinkParameter(current: Candidate, key: keyof WorldConfig, least: number, effort: Effort): Shrinking<Candidate> {
  for (const smaller of smallerValues(current.setup.world[key], least)) {
    const world = { ...current.setup.world, [key]: smaller };
    if (validateWorld(world) !== null) continue;
    const accepted = yield* withSetup(current, { ...current.setup, world }, effort);
    if (accepted !== null) return accepted;
  }
  return current;
}

/** One pass over the world, the failure rates and the hardware seed. Ensures: nothing grows. */
export function* shrinkWorld(current: Candidate, effort: Effort): Shrinking<Candidate> {
  for (const [key, least] of parameters) current = yield* shrinkParameter(current, key, least, effort);
  for (const kind of Object.keys(current.setup.failures)) {
    const failures = Object.fromEntries(Object.entries(current.setup.failures).filter(([other]) => other !== kind));
    current = (yield* withSetup(current, { ...current.setup, failures }, effort)) ?? current;
  }
  if (current.setup.hardwareSeed !== 0) current = (yield* withSetup(current, { ...current.setup, hardwareSeed: 0 }, effort)) ?? current;
  return current;
}
