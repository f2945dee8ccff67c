// Runs concrete commands through the full checker (model, UVM implementation, observation,
// invariants) and returns the outcomes in the spelling of traces (`ok`, `=42`, `EFAULT`).
import { systemProfile } from "../../vocabulary/system-profile.ts";
import { exhaustibleMemory, Runner, type Violation, ViolationError } from "../../properties/checking/runner.ts";
import { type UvmSystem, uvmSystem } from "../../systems/uvm.ts";
import type { Command } from "../../vocabulary/command.ts";
import { formatOutcome } from "../../vocabulary/outcome.ts";
import type { FailureRates } from "../../vocabulary/failure.ts";
import { defaultWorld, type WorldConfig } from "../../vocabulary/world.ts";

export interface Checked {
  readonly outcomes: string[];
  /** Per step, the thread operations that completed in it: `thread 1: =42`. */
  readonly completions: string[][];
  readonly violation: Violation | null;
  readonly runner: Runner;
  readonly system: UvmSystem;
}

export interface CheckOptions {
  readonly variant?: string;
  readonly world?: WorldConfig;
  readonly failureRates?: FailureRates;
  /** The heal phase after the commands (default false). */
  readonly heal?: boolean;
}

export function check(commands: readonly Command[], options: CheckOptions = {}): Checked {
  const world = options.world ?? defaultWorld;
  const failureRates = options.failureRates ?? {};
  const system = uvmSystem.create({ world, variant: options.variant ?? null, seed: 1, failureRates }) as UvmSystem;
  const runner = new Runner(system, systemProfile(uvmSystem), world, exhaustibleMemory, failureRates);
  const outcomes: string[] = [];
  const completions: string[][] = [];
  try {
    for (const command of commands) {
      const record = runner.run(command);
      outcomes.push(formatOutcome(record.outcome));
      completions.push(record.completions.map((completion) => `thread ${completion.thread}: ${formatOutcome(completion.outcome)}`));
    }
    if (options.heal === true) runner.heal();
  } catch (error) {
    if (error instanceof ViolationError) return { outcomes, completions, violation: error.violation, runner, system };
    throw error;
  }
  return { outcomes, completions, violation: null, runner, system };
}
