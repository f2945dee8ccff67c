// Runs a campaign of the default configuration on the UVM system, for tests.
import fc from "fast-check";
import type { ScheduleChoice } from "../../properties/generation/thread-arbitraries.ts";
import { type CampaignResult, runCampaign } from "../../properties/hunting/campaign.ts";
import { ampleMemory, type Contract, exhaustibleMemory } from "../../properties/checking/runner.ts";
import { uvmSystem } from "../../systems/uvm.ts";
import { defaultWorld, type WorldConfig } from "../../vocabulary/world.ts";

export interface CampaignSettings {
  readonly runs: number;
  readonly seed: number;
  readonly variant?: string | null;
  readonly world?: WorldConfig;
  readonly contract?: Contract;
  readonly maxCommands?: number;
  readonly failures?: boolean;
  readonly schedule?: ScheduleChoice;
  readonly configurationLimit?: number;
}

/** The ample-memory property's configuration: frames and swap to spare, no failures. */
export const ampleSettings = { world: { ...defaultWorld, frames: 4096, swapSlots: 4096 }, contract: ampleMemory, failures: false } as const;

export function campaign(options: CampaignSettings): CampaignResult {
  return runCampaign({
    system: uvmSystem,
    world: options.world ?? defaultWorld,
    runs: options.runs,
    seed: options.seed,
    maxCommands: options.maxCommands ?? 60,
    variant: options.variant ?? null,
    contract: options.contract ?? exhaustibleMemory,
    failures: options.failures ?? true,
    schedule: options.schedule ?? "mixed",
    ...(options.configurationLimit === undefined ? {} : { configurationLimit: options.configurationLimit }),
  });
}

/**
 * The first violation with `check` found by campaigns over `seeds` (each of `runs` runs; a
 * campaign stops at its first violation, whatever its check), or null. First without
 * shrinking (fast-check's endOnFailure: the check is the failing run's own, and a seed whose
 * first violation is another check costs only its runs); only if that finds none, again with
 * shrinking, which may turn a violation into a shorter one of `check` (a run the generators
 * can make too).
 */
export function violationWithCheck(variant: string, check: string, seeds: readonly number[], runs: number, settings: Partial<CampaignSettings> = {}) {
  const search = () => {
    for (const seed of seeds) {
      const found = campaign({ ...settings, runs, seed, variant }).violations[0];
      if (found?.violation.check === check) return found;
    }
    return null;
  };
  const parameters = fc.readConfigureGlobal();
  fc.configureGlobal({ ...parameters, endOnFailure: true });
  let found: ReturnType<typeof search>;
  try {
    found = search();
  } finally {
    fc.configureGlobal(parameters);
  }
  return found ?? search();
}
