//! `uvmcheck bench`: throughput on one fixed command stream, measured in one process:
//!
//!   checked          commands per second through the full per-step check (model,
//!                    implementation, observation comparison, every invariant)
//!   implementation   the implementation alone
//!   model            the model alone
//!
//! and the implementation/model throughput ratio, then the machine it ran on (CPU, cores,
//! Node.js, the load average when it started: a busy machine gives lower figures). The
//! stream is `--runs` runs of `--max-commands` commands (the campaign's default, 100), no
//! threads. A run that fails a check (a planted bug, a faulty system) stops at the failing
//! command, and the next run goes on: bench measures speed, `uvmcheck run` finds bugs.
//! Figures, not assertions: tests never time.

import { cpus, loadavg } from "node:os";
import { setAutoFreeze } from "immer";
import { commandStream } from "../bench/command-stream.ts";
import { initialState } from "../model/state.ts";
import { systemProfile } from "../vocabulary/system-profile.ts";
import { step } from "../model/step.ts";
import { exhaustibleMemory, Runner } from "../properties/checking/runner.ts";
import { defaultMaxCommands } from "../properties/hunting/campaign.ts";
import type { Command } from "../vocabulary/command.ts";
import { type SystemFlags, seedFrom, systemFrom, type WorldFlags, worldFrom } from "./campaign-options.ts";
import { count } from "./output.ts";
import { parseInteger } from "./usage-error.ts";

export interface BenchFlags extends WorldFlags, SystemFlags {
  readonly runs?: string;
  readonly seed?: string;
  readonly maxCommands?: string;
  readonly json?: boolean;
}

function timed(work: () => void): number {
  const start = performance.now();
  work();
  return (performance.now() - start) / 1000;
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

/** Ensures: what the figures were measured on (the load when called). */
export function machine() {
  const processors = cpus();
  const [oneMinute] = loadavg();
  return { cpu: processors[0]?.model.trim() ?? "unknown", cores: processors.length, node: process.version, loadAverage: Number((oneMinute ?? 0).toFixed(2)) };
}

export async function benchCommand(flags: BenchFlags): Promise<number> {
  const { system, variant } = await systemFrom(flags);
  const world = worldFrom(flags);
  const runs = parseInteger("--runs", flags.runs ?? "200", 1, 100_000);
  const maxCommands = parseInteger("--max-commands", flags.maxCommands ?? String(defaultMaxCommands), 1, 10_000);
  const seed = flags.seed === undefined ? 1 : seedFrom(flags.seed);
  const host = machine();
  setAutoFreeze(false);
  const profile = systemProfile(system);
  const stream = commandStream(world, runs, maxCommands, seed, profile);
  let checked = 0;
  let stopped = 0;
  const checkedSeconds = timed(() => {
    for (const run of stream) {
      const runner = new Runner(system.create({ world, variant, seed }), profile, world, exhaustibleMemory);
      const ran = untilThrow(run, (command) => runner.run(command));
      checked += ran;
      if (ran < run.length) stopped++;
    }
  });
  let applied = 0;
  const implementationSeconds = timed(() => {
    for (const run of stream) {
      const instance = system.create({ world, variant, seed });
      applied += untilThrow(run, (command) => instance.apply(command));
    }
  });
  const commands = stream.reduce((sum, run) => sum + run.length, 0);
  const modelSeconds = timed(() => {
    for (const run of stream) {
      let state = initialState(world, {}, profile.allowances);
      for (const command of run) state = step(state, command).allowed[0]!.state;
    }
  });
  const perSecond = (done: number, seconds: number) => Math.round(done / Math.max(seconds, 1e-9));
  const figures: BenchFigures & { system: string; variant: string | null } = {
    system: system.name,
    variant,
    runs,
    commands,
    runsStoppedByAViolation: stopped,
    checkedCommandsPerSecond: perSecond(checked, checkedSeconds),
    implementationCommandsPerSecond: perSecond(applied, implementationSeconds),
    modelCommandsPerSecond: perSecond(commands, modelSeconds),
    implementationToModelRatio: Number((modelSeconds / commands / (implementationSeconds / Math.max(applied, 1))).toFixed(2)),
    machine: host,
  };
  if (flags.json === true) process.stdout.write(`${JSON.stringify(figures)}\n`);
  else process.stdout.write(`${benchLines(figures, maxCommands).join("\n")}\n`);
  return 0;
}

interface BenchFigures {
  readonly commands: number;
  readonly runs: number;
  readonly runsStoppedByAViolation: number;
  readonly checkedCommandsPerSecond: number;
  readonly implementationCommandsPerSecond: number;
  readonly modelCommandsPerSecond: number;
  readonly implementationToModelRatio: number;
  readonly machine: ReturnType<typeof machine>;
}

function benchLines(figures: BenchFigures, maxCommands: number): string[] {
  const lines = [
    `${count(figures.commands, "command")} (${count(figures.runs, "run")} of ${maxCommands}, no threads)`,
    `  checked         ${figures.checkedCommandsPerSecond} commands/s`,
    `  implementation  ${figures.implementationCommandsPerSecond} commands/s`,
    `  model           ${figures.modelCommandsPerSecond} commands/s`,
    `  implementation is ${figures.implementationToModelRatio}x the model's throughput`,
  ];
  const stopped = figures.runsStoppedByAViolation;
  if (stopped > 0) lines.push(`  ${count(stopped, "run")} stopped early at a violation (bench measures speed; \`uvmcheck run\` finds and shows bugs)`);
  const host = figures.machine;
  lines.push(`machine: ${host.cpu}, ${count(host.cores, "core")}, Node.js ${host.node}, load average ${host.loadAverage} when it started`);
  return lines;
}
