//! `uvmcheck bench`: throughput on one fixed command stream, measured in one process:
//!
//!   checked          commands per second through the full per-step check (model,
//!                    implementation, observation comparison, every invariant)
//!   implementation   the implementation alone
//!   model            the model alone
//!
//! and the implementation/model throughput ratio. Figures, not assertions: tests never time.

import { setAutoFreeze } from "immer";
import { commandStream } from "../bench/command-stream.ts";
import { initialState } from "../model/state.ts";
import { systemProfile } from "../vocabulary/system-profile.ts";
import { step } from "../model/step.ts";
import { exhaustibleMemory, Runner } from "../properties/checking/runner.ts";
import { type SystemFlags, seedFrom, systemFrom, type WorldFlags, worldFrom } from "./campaign-options.ts";
import { parseInteger } from "./usage-error.ts";

export interface BenchFlags extends WorldFlags, SystemFlags {
  readonly runs?: string;
  readonly seed?: string;
  readonly json?: boolean;
}

function timed(work: () => void): number {
  const start = performance.now();
  work();
  return (performance.now() - start) / 1000;
}

export async function benchCommand(flags: BenchFlags): Promise<number> {
  const { system, variant } = await systemFrom(flags);
  const world = worldFrom(flags);
  const runs = parseInteger("--runs", flags.runs ?? "200", 1, 100_000);
  const seed = flags.seed === undefined ? 1 : seedFrom(flags.seed);
  setAutoFreeze(false);
  const profile = systemProfile(system);
  const stream = commandStream(world, runs, 60, seed, profile);
  const commands = stream.reduce((sum, run) => sum + run.length, 0);
  const checkedSeconds = timed(() => {
    for (const run of stream) {
      const runner = new Runner(system.create({ world, variant, seed }), profile, world, exhaustibleMemory);
      for (const command of run) runner.run(command);
    }
  });
  const implementationSeconds = timed(() => {
    for (const run of stream) {
      const instance = system.create({ world, variant, seed });
      for (const command of run) instance.apply(command);
    }
  });
  const modelSeconds = timed(() => {
    for (const run of stream) {
      let state = initialState(world, {}, profile.allowances);
      for (const command of run) state = step(state, command).allowed[0]!.state;
    }
  });
  const perSecond = (seconds: number) => Math.round(commands / seconds);
  const figures = {
    system: system.name,
    runs,
    commands,
    checkedCommandsPerSecond: perSecond(checkedSeconds),
    implementationCommandsPerSecond: perSecond(implementationSeconds),
    modelCommandsPerSecond: perSecond(modelSeconds),
    implementationToModelRatio: Number((modelSeconds / implementationSeconds).toFixed(2)),
  };
  if (flags.json === true) process.stdout.write(`${JSON.stringify(figures)}\n`);
  else {
    process.stdout.write(`${commands} commands (${runs} runs of 60)\n`);
    process.stdout.write(`  checked         ${figures.checkedCommandsPerSecond} commands/s\n`);
    process.stdout.write(`  implementation  ${figures.implementationCommandsPerSecond} commands/s\n`);
    process.stdout.write(`  model           ${figures.modelCommandsPerSecond} commands/s\n`);
    process.stdout.write(`  implementation is ${figures.implementationToModelRatio}x the model's throughput\n`);
  }
  return 0;
}
