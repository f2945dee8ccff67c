//! Replaying stored commands: the configuration a counterexample file records, turned back
//! into a system under test and a Runner, and the file's commands run through every check.
//!
//! Replay never consults the generators, the swarm or fast-check: the commands are data, so
//! a file replays after any change to them. What it needs is the system (by name, resolved
//! by the command line), the variant, the world, the contract, the hardware seed and the
//! failure rates, all in the file.
//!
//! Like every campaign run, a replay ends with the heal phase (Runner.heal: failures off,
//! loans given back, every process exited, then the leak check `healed`). A file written by
//! a campaign already holds the heal commands its run made; running the phase again after
//! them adds nothing but the check, and a shrunk file may leave them out.

import type { Command } from "../../vocabulary/command.ts";
import { missingFamily } from "../../vocabulary/command-family.ts";
import type { SystemFactory } from "../../vocabulary/system-under-test.ts";
import { systemProfile } from "../../vocabulary/system-profile.ts";
import type { FailureRates } from "../../vocabulary/failure.ts";
import type { WorldConfig } from "../../vocabulary/world.ts";
import { type CounterexampleFile, CounterexampleFileError } from "./counterexample-file.ts";
import { ampleMemory, type Contract, exhaustibleMemory, Runner, type Violation, ViolationError } from "../checking/runner.ts";

/** Everything a replay needs besides the commands. */
export interface ReplaySetup {
  readonly system: SystemFactory;
  readonly variant: string | null;
  readonly world: WorldConfig;
  readonly contract: Contract;
  readonly hardwareSeed: number;
  readonly failures: FailureRates;
}

export interface ReplayResult {
  /** The first violation, or null when every command and the heal phase passed every check. */
  readonly violation: Violation | null;
  readonly runner: Runner;
  /** The stored commands that ran: all of them, or up to and including the failing one. */
  readonly executed: readonly Command[];
  /** The commands the heal phase ran, up to and including a failing one; empty if it did not run. */
  readonly healed: readonly Command[];
}

/** Called after each stored command, and once after the heal phase, with the violation raised, if any. */
export interface StepObserver {
  afterStep(index: number, runner: Runner, violation: Violation | null): void;
  afterHeal?(runner: Runner, healed: readonly Command[], violation: Violation | null): void;
}

const contracts: readonly Contract[] = [exhaustibleMemory, ampleMemory];

export function contractNamed(name: string): Contract | undefined {
  return contracts.find((contract) => contract.name === name);
}

/**
 * The setup `file` records, on `system`, with `variant` overriding the file's (to replay a
 * variant's counterexample on the faithful system). Requires: `system.name` is the file's
 * system. Ensures: the contract and the variant exist and the system runs every command
 * family the commands use, or a CounterexampleFileError.
 */
export function setupFromFile(file: CounterexampleFile, system: SystemFactory, variant: string | null = file.variant): ReplaySetup {
  const contract = contractNamed(file.configuration.contract);
  if (contract === undefined) {
    throw new CounterexampleFileError(
      `configuration.contract: unknown contract "${file.configuration.contract}" (known: ${contracts.map((known) => known.name).join(", ")})`,
    );
  }
  if (variant !== null && !system.variants.some((known) => known.name === variant)) {
    throw new CounterexampleFileError(`variant "${variant}" does not exist in system ${system.name} (\`uvmcheck variants\` lists them)`);
  }
  const families = systemProfile(system).families;
  file.commands.forEach((command, index) => {
    const missing = missingFamily(command, families);
    if (missing !== null) throw new CounterexampleFileError(`commands[${index}]: ${command.kind} is a command of the ${missing} family, which system ${system.name} does not run`);
  });
  const failures = file.configuration.failures;
  return { system, variant, world: file.configuration.world, contract, hardwareSeed: file.configuration.hardwareSeed, failures };
}

/** A fresh Runner on a freshly created system. */
export function newReplayRunner(setup: ReplaySetup, options: { readonly recordFrameEvents?: boolean } = {}): Runner {
  const { world, variant, hardwareSeed, failures } = setup;
  const system = setup.system.create({ world, variant, seed: hardwareSeed, failureRates: failures, recordFrameEvents: options.recordFrameEvents === true, replaying: true });
  return new Runner(system, systemProfile(setup.system), world, setup.contract, failures);
}

/**
 * The heal phase on `runner`. Ensures: the commands it ran (the failing one included) and
 * the violation it raised, or null.
 */
export function healRun(runner: Runner): { healed: Command[]; violation: Violation | null } {
  const start = runner.steps.length;
  try {
    runner.heal();
    return { healed: runner.steps.slice(start).map((record) => record.command), violation: null };
  } catch (error) {
    if (!(error instanceof ViolationError)) throw error;
    const healed = runner.steps.slice(start).map((record) => record.command);
    if (error.violation.step >= runner.steps.length) healed.push(error.violation.command);
    return { healed, violation: error.violation };
  }
}

/**
 * Runs `commands` in order until one raises a violation, then the heal phase. Ensures:
 * deterministic (the same setup and commands give the same result); only ViolationErrors
 * are caught.
 */
export function replayCommands(
  setup: ReplaySetup,
  commands: readonly Command[],
  observe?: StepObserver,
  options: { readonly recordFrameEvents?: boolean } = {},
): ReplayResult {
  const runner = newReplayRunner(setup, options);
  for (let index = 0; index < commands.length; index++) {
    try {
      runner.run(commands[index]!);
    } catch (error) {
      if (!(error instanceof ViolationError)) throw error;
      observe?.afterStep(index, runner, error.violation);
      return { violation: error.violation, runner, executed: commands.slice(0, index + 1), healed: [] };
    }
    observe?.afterStep(index, runner, null);
  }
  const { healed, violation } = healRun(runner);
  observe?.afterHeal?.(runner, healed, violation);
  return { violation, runner, executed: commands, healed };
}

/** Whether two failures are the same for the purposes of shrinking and regression: the same check. */
export function sameFailure(a: { readonly check: string }, b: { readonly check: string }): boolean {
  return a.check === b.check;
}
