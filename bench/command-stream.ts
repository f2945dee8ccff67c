//! A fixed, seeded stream of concrete commands for benchmarks: templates drawn the way a
//! campaign draws them (swarm weights per run), resolved against the model as they go.

import fc from "fast-check";
import type { Command } from "../vocabulary/command.ts";
import { fullProfile, type SystemProfile } from "../vocabulary/system-profile.ts";
import type { WorldConfig } from "../vocabulary/world.ts";
import { initialState } from "../model/state.ts";
import { step } from "../model/step.ts";
import { swarmArbitrary, weightedTemplateArbitrary } from "../properties/generation/arbitraries.ts";
import { resolveTemplate } from "../properties/generation/templates.ts";

/** `runs` runs of `commandsPerRun` sequential commands of the families and allowances of `profile`. */
export function commandStream(world: WorldConfig, runs: number, commandsPerRun: number, seed: number, profile: SystemProfile = fullProfile): Command[][] {
  const families = profile.families;
  const arbitrary = swarmArbitrary({ threads: false, families }).chain((swarm) =>
    fc.array(weightedTemplateArbitrary(swarm, world, families), { minLength: commandsPerRun, maxLength: commandsPerRun }),
  );
  return fc.sample(arbitrary, { numRuns: runs, seed }).map((templates) => {
    let state = initialState(world, {}, profile.allowances);
    return templates.map((template) => {
      const command = resolveTemplate(template, state);
      state = step(state, command).allowed[0]!.state;
      return command;
    });
  });
}
