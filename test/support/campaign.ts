// Runs a campaign of the default configuration on the UVM system, for tests.
import { type CampaignResult, runCampaign } from "../../properties/campaign.ts";
import { exhaustibleMemory, type Contract } from "../../properties/runner.ts";
import { uvmSystem } from "../../systems/uvm.ts";
import { defaultWorld, type WorldConfig } from "../../vocabulary/world.ts";

export function campaign(options: {
  runs: number;
  seed: number;
  variant?: string | null;
  world?: WorldConfig;
  contract?: Contract;
  maxCommands?: number;
}): CampaignResult {
  return runCampaign({
    system: uvmSystem,
    world: options.world ?? defaultWorld,
    runs: options.runs,
    seed: options.seed,
    maxCommands: options.maxCommands ?? 60,
    variant: options.variant ?? null,
    contract: options.contract ?? exhaustibleMemory,
  });
}

/** The first violation found by campaigns over `seeds` (each of `runs` runs), or null. */
export function firstViolation(variant: string, seeds: readonly number[], runs: number) {
  for (const seed of seeds) {
    const found = campaign({ runs, seed, variant }).violations[0];
    if (found !== undefined) return found;
  }
  return null;
}
