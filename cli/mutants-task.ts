//! One variant's hunt as plain data, so that it runs the same on the main thread or in a
//! worker thread of `uvmcheck mutants --jobs N` (cli/mutants-worker.mjs): the task names the
//! system by its spec and carries every setting; the result is structured-clonable.
//!
//! The clock is the wall clock of whichever thread runs the hunt (`seconds`, the time
//! budget); everything else in the result is the same wherever it runs.

import { setAutoFreeze } from "immer";
import { type HuntResult, huntVariant, seedRange } from "../properties/hunting/mutant-hunt.ts";
import { exhaustibleMemory } from "../properties/checking/runner.ts";
import { loadSystemSpec, prepareVariant } from "../systems/load-system.ts";
import type { SystemFactory } from "../vocabulary/system-under-test.ts";
import type { WorldConfig } from "../vocabulary/world.ts";

export interface HuntTask {
  /** `--system`: a built-in name or a module path (resolved against the working directory). */
  readonly systemSpec: string;
  readonly variant: string;
  readonly world: WorldConfig;
  readonly runs: number;
  readonly firstSeed: number;
  readonly maxSeeds: number;
  readonly maxCommands: number;
  readonly budgetSeconds: number;
}

/** Runs `task` on `system` (already loaded from `task.systemSpec`): the default campaign's contract and failures. */
export function runHuntTask(system: SystemFactory, task: HuntTask): HuntResult {
  return huntVariant({
    system,
    variant: task.variant,
    world: task.world,
    contract: exhaustibleMemory,
    failures: true,
    runs: task.runs,
    maxCommands: task.maxCommands,
    seeds: seedRange(task.firstSeed, Math.min(task.maxSeeds, 0x7fffffff - task.firstSeed + 1)),
    clock: () => performance.now(),
    budgetMilliseconds: task.budgetSeconds * 1000,
  });
}

const loaded = new Map<string, Promise<SystemFactory>>();

/** The worker's entry: loads the system once per thread, then hunts. */
export async function huntInWorker(task: HuntTask): Promise<HuntResult> {
  setAutoFreeze(false);
  let system = loaded.get(task.systemSpec);
  if (system === undefined) {
    system = loadSystemSpec(task.systemSpec).then((choice) => choice.system);
    loaded.set(task.systemSpec, system);
  }
  const factory = await system;
  await prepareVariant(factory, task.variant);
  return runHuntTask(factory, task);
}
