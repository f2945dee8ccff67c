// The DragonFly system under the checker, for tests: concrete commands through the full
// checker (model, observation, heap walks), and campaigns with a variant switched on.
import fc from "fast-check";
import { exhaustibleMemory, Runner, type Violation, ViolationError } from "../../properties/checking/runner.ts";
import { runCampaign } from "../../properties/hunting/campaign.ts";
import { type DragonflySystem, dragonflySystem } from "../../systems/dragonfly.ts";
import type { Command } from "../../vocabulary/command.ts";
import { formatOutcome } from "../../vocabulary/outcome.ts";
import { systemProfile } from "../../vocabulary/system-profile.ts";
import { defaultWorld, type WorldConfig } from "../../vocabulary/world.ts";

export interface DragonflyChecked {
  readonly outcomes: string[];
  readonly violation: Violation | null;
  readonly system: DragonflySystem;
}

/** Runs `commands` (and the heal phase when asked) on a fresh DragonFly system with `variant`. */
export function checkDragonfly(commands: readonly Command[], options: { variant?: string; world?: WorldConfig; heal?: boolean } = {}): DragonflyChecked {
  const world = options.world ?? defaultWorld;
  const system = dragonflySystem.create({ world, variant: options.variant ?? null, seed: 1 }) as DragonflySystem;
  const runner = new Runner(system, systemProfile(dragonflySystem), world, exhaustibleMemory, {});
  const outcomes: string[] = [];
  try {
    for (const command of commands) outcomes.push(formatOutcome(runner.run(command).outcome));
    if (options.heal === true) runner.heal();
  } catch (error) {
    if (error instanceof ViolationError) return { outcomes, violation: error.violation, system };
    throw error;
  }
  return { outcomes, violation: null, system };
}

/** The first violation of each campaign over `seeds` (`runs` runs each, no shrinking) until one has `check`; null if none. */
export function dragonflyViolationWithCheck(variant: string, check: string, seeds: readonly number[], runs: number) {
  const parameters = fc.readConfigureGlobal();
  fc.configureGlobal({ ...parameters, endOnFailure: true });
  try {
    for (const seed of seeds) {
      const result = runCampaign({ system: dragonflySystem, world: defaultWorld, runs, seed, maxCommands: 100, variant, contract: exhaustibleMemory });
      const found = result.violations[0];
      if (found?.violation.check === check) return found;
    }
    return null;
  } finally {
    fc.configureGlobal(parameters);
  }
}
