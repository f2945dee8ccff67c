//! The cases `uvmcheck bench` measures (bench/measure.ts runs them interleaved):
//!
//!   campaign        the default campaign, generation included (what `run` does on one core):
//!                   its runs 0..R-1 from the seed; per checked command
//!   floor           fast-check alone on the same arbitraries with a no-op model: each run's
//!                   input generated and its commands walked, nothing checked; per run
//!   implementation  the implementation alone on a fixed command stream; per command
//!   model           the model alone on the same stream; per command
//!   resident N      one checked read step (model, implementation, observation comparison,
//!                   every invariant) in a world where one process has N resident pages
//!   run length L    checked runs of exactly L commands of a seeded stream; per command
//!
//! Every case does the same work each time it runs (everything is seeded).

import fc from "fast-check";
import { initialState } from "../model/state.ts";
import { step } from "../model/step.ts";
import { exhaustibleMemory, Runner } from "../properties/checking/runner.ts";
import { type CampaignOptions, campaignCheck, runCampaign } from "../properties/hunting/campaign.ts";
import type { Command } from "../vocabulary/command.ts";
import type { SystemFactory } from "../vocabulary/system-under-test.ts";
import { systemProfile } from "../vocabulary/system-profile.ts";
import { pid, vpn, wordIndex } from "../vocabulary/units.ts";
import type { WorldConfig } from "../vocabulary/world.ts";
import { commandStream } from "./command-stream.ts";
import { type BenchCase, timed } from "./measure.ts";

/** What a campaign case did on its last round. */
export interface CampaignCount {
  commands: number;
  runs: number;
}

/** The campaign's runs 0..runs-1 (fast-check's runs of the seed); units: checked commands. */
export function campaignCase(name: string, options: CampaignOptions, counted: CampaignCount): BenchCase {
  return {
    name,
    run: () =>
      timed(() => {
        const result = runCampaign(options);
        counted.commands = result.commands;
        counted.runs = result.runs;
        return result.commands;
      }),
  };
}

/** fast-check on the campaign's arbitraries, a no-op model; units: runs. */
export function floorCase(options: CampaignOptions): BenchCase {
  const { arbitrary } = campaignCheck(options);
  return {
    name: "floor",
    run: () =>
      timed(() => {
        let walked = 0;
        fc.check(
          fc.property(arbitrary, (input) => {
            for (const _command of input.commands) walked++;
          }),
          { numRuns: options.runs, seed: options.seed },
        );
        return walked >= 0 ? options.runs : 0;
      }),
  };
}

/** Runs `work` on each command until one throws; the commands that ran. */
function untilThrow(commands: readonly Command[], work: (command: Command) => void): number {
  let ran = 0;
  try {
    for (const command of commands) {
      work(command);
      ran++;
    }
  } catch {
    return ran;
  }
  return ran;
}

/** The implementation alone and the model alone on one stream; units: commands. */
export function streamCases(system: SystemFactory, variant: string | null, world: WorldConfig, stream: readonly Command[][]): BenchCase[] {
  const profile = systemProfile(system);
  const implementation: BenchCase = {
    name: "implementation",
    run: () =>
      timed(() => {
        let applied = 0;
        for (const run of stream) {
          const instance = system.create({ world, variant, seed: 1 });
          applied += untilThrow(run, (command) => instance.apply(command));
        }
        return applied;
      }),
  };
  const model: BenchCase = {
    name: "model",
    run: () =>
      timed(() => {
        for (const run of stream) {
          let state = initialState(world, {}, profile.allowances);
          for (const command of run) state = step(state, command).allowed[0]!.state;
        }
        return stream.reduce((sum, run) => sum + run.length, 0);
      }),
  };
  return [implementation, model];
}

/** How many runs of `stream` a checked run (model, observation, invariants) stops early at a violation: a planted bug's. */
export function checkedStops(system: SystemFactory, variant: string | null, world: WorldConfig, stream: readonly Command[][]): number {
  const profile = systemProfile(system);
  let stops = 0;
  for (const run of stream) {
    const runner = new Runner(system.create({ world, variant, seed: 1 }), profile, world, exhaustibleMemory);
    if (untilThrow(run, (command) => runner.run(command)) < run.length) stops++;
  }
  return stops;
}

/** Checked runs of exactly the stream's commands each (model, implementation, observation, invariants); units: commands. */
export function checkedStreamCase(name: string, system: SystemFactory, world: WorldConfig, stream: readonly Command[][]): BenchCase {
  const profile = systemProfile(system);
  return {
    name,
    run: () =>
      timed(() => {
        let checked = 0;
        for (const run of stream) {
          const runner = new Runner(system.create({ world, variant: null, seed: 1 }), profile, world, exhaustibleMemory);
          checked += untilThrow(run, (command) => runner.run(command));
        }
        return checked;
      }),
  };
}

/** The world of the resident-pages case: room for `pages` resident pages and a little more. */
export function residentWorld(world: WorldConfig, pages: number): WorldConfig {
  return { ...world, vaPages: pages + 16, frames: pages + 64, swapSlots: Math.max(world.swapSlots, 64) };
}

/**
 * One process with `pages` anonymous pages, all wired (resident), checked step by step; then
 * `reads` checked reads of them, timed; units: checked steps. With `sweepEvery`, checked
 * incrementally (properties/checking/incremental-check.ts: a full sweep every that many steps).
 */
export function residentCase(system: SystemFactory, world: WorldConfig, pages: number, reads: number, sweepEvery: number | null = null): BenchCase {
  const sized = residentWorld(world, pages);
  const instance = system.create({ world: sized, variant: null, seed: 1 });
  const runner = new Runner(instance, systemProfile(system), sized, exhaustibleMemory, {}, undefined, sweepEvery);
  const mapping = { kind: "mmap", pid: pid(1), pages, prot: "rw", maxprot: "rw", backing: { kind: "anon" } } as const;
  const mapped = runner.run({ ...mapping, sharing: "private", inherit: "copy", advice: "normal" } as Command);
  if (mapped.outcome.kind !== "value") throw new Error(`bench: mapping ${pages} pages failed`);
  const base = mapped.outcome.value;
  runner.run({ kind: "mlock", pid: pid(1), va: vpn(base), pages } as Command);
  let next = 0;
  return {
    name: `resident ${pages}${sweepEvery === null ? "" : " incremental"}`,
    run: () =>
      timed(() => {
        for (let read = 0; read < reads; read++) runner.run({ kind: "read", pid: pid(1), va: vpn(base + (next++ % pages)), word: wordIndex(0) });
        return reads;
      }),
  };
}

/** Streams for the implementation/model comparison. */
export function benchStream(world: WorldConfig, runs: number, maxCommands: number, seed: number, system: SystemFactory): Command[][] {
  return commandStream(world, runs, maxCommands, seed, systemProfile(system));
}
