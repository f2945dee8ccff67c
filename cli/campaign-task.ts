//! One run of `uvmcheck run --jobs N` as plain data, so that it runs the same on a worker
//! thread (cli/campaign-worker.mjs) as on the main thread: the task names the system by its
//! spec and carries every setting of the campaign and the run's index; the lanes' shared
//! signals (stop, lowest failing index) travel as a SharedArrayBuffer view. The report is
//! structured-clonable (properties/hunting/interruptible-campaign.ts).

import { setAutoFreeze } from "immer";
import { contractNamed } from "../properties/counterexample-files/replay.ts";
import type { GenerationProfile } from "../properties/generation/growth.ts";
import type { ScheduleChoice } from "../properties/generation/thread-arbitraries.ts";
import type { CampaignOptions } from "../properties/hunting/campaign.ts";
import { checkRunAt, type LaneSignals, laneStop, type RunReport } from "../properties/hunting/interruptible-campaign.ts";
import { loadSystemSpec, prepareVariant } from "../systems/load-system.ts";
import type { SystemFactory } from "../vocabulary/system-under-test.ts";
import type { WorldConfig } from "../vocabulary/world.ts";

/** Everything but the system object: what a worker needs to rebuild the CampaignOptions. */
export interface CampaignSpec {
  /** `--system` as given (a built-in name or a module path), without the variant. */
  readonly systemSpec: string;
  readonly variant: string | null;
  readonly world: WorldConfig;
  readonly runs: number;
  readonly seed: number;
  readonly maxCommands: number;
  readonly contract: string;
  readonly failures: boolean;
  readonly schedule: ScheduleChoice;
  /** The generators (default `default`). */
  readonly profile?: GenerationProfile;
}

export interface RunTask {
  readonly spec: CampaignSpec;
  readonly index: number;
  readonly signals: LaneSignals;
}

/** The campaign options `spec` describes, on `system` (loaded from `spec.systemSpec`). */
export function campaignOptionsOf(spec: CampaignSpec, system: SystemFactory): CampaignOptions {
  const contract = contractNamed(spec.contract);
  if (contract === undefined) throw new RangeError(`campaign task: unknown contract ${spec.contract}`);
  const { world, runs, seed, maxCommands, variant, failures, schedule } = spec;
  return { system, world, runs, seed, maxCommands, variant, contract, failures, schedule, ...(spec.profile === undefined ? {} : { profile: spec.profile }) };
}

const loaded = new Map<string, Promise<SystemFactory>>();

/** The worker's entry: loads the system once per thread (and its variant: a planted bug is a source edit loaded on demand), then checks the run. */
export async function runInWorker(task: RunTask): Promise<RunReport> {
  setAutoFreeze(false);
  let system = loaded.get(task.spec.systemSpec);
  if (system === undefined) {
    system = loadSystemSpec(task.spec.systemSpec).then((choice) => choice.system);
    loaded.set(task.spec.systemSpec, system);
  }
  const factory = await system;
  await prepareVariant(factory, task.spec.variant);
  const options = campaignOptionsOf(task.spec, factory);
  return checkRunAt(options, task.index, laneStop(task.signals, task.index), false);
}
