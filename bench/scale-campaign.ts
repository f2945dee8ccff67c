//! The scale profile's figure in `uvmcheck bench`: a campaign of `--profile scale`
//! (properties/generation/growth.ts) in its default world, per checked command, with the
//! largest world it reached (frames in use, live processes, mapped pages), counted from the
//! system's observations.

import { exhaustibleMemory } from "../properties/checking/runner.ts";
import { type CampaignOptions, runCampaign } from "../properties/hunting/campaign.ts";
import { scaleDefaultWorld } from "../properties/generation/growth.ts";
import type { SystemFactory, SystemOptions, SystemUnderTest } from "../vocabulary/system-under-test.ts";
import type { BenchCase } from "./measure.ts";
import { timed } from "./measure.ts";

/** The largest world a run reached after any command: frames in use, live processes, mapped pages. */
export interface Peak {
  frames: number;
  processes: number;
  mappedPages: number;
}

/** `factory`, with every observation of every instance counted into `peak`. Behaves as `factory` does. */
export function peakCounting(factory: SystemFactory, peak: Peak): SystemFactory {
  const create = (options: SystemOptions): SystemUnderTest => {
    const system = factory.create(options);
    const observe = system.observe.bind(system);
    const counting = () => {
      const observation = observe();
      peak.frames = Math.max(peak.frames, system.framesInUse?.() ?? 0);
      peak.processes = Math.max(peak.processes, observation.processes.length);
      peak.mappedPages = Math.max(
        peak.mappedPages,
        observation.processes.reduce((sum, process) => sum + process.pages.length, 0),
      );
      return observation;
    };
    return Object.assign(Object.create(system) as SystemUnderTest, { observe: counting });
  };
  return { ...factory, create };
}

/** Runs 0..runs-1 of a scale campaign of `seed`; units: checked commands. `peak` holds the largest world reached. */
export function scaleCampaignCase(system: SystemFactory, runs: number, seed: number, maxCommands: number, peak: Peak): BenchCase {
  const options: CampaignOptions = {
    ...{ system: peakCounting(system, peak), world: scaleDefaultWorld, runs, seed, maxCommands },
    ...{ variant: null, contract: exhaustibleMemory, failures: true, profile: "scale" },
  };
  return { name: "scale campaign", run: () => timed(() => runCampaign(options).commands) };
}
