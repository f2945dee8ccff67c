// Runs concrete commands through the full checker (model, UVM implementation, observation,
// invariants) and returns the outcomes in the spelling of traces (`ok`, `=42`, `EFAULT`).
import { exhaustibleMemory, Runner, type Violation, ViolationError } from "../../properties/runner.ts";
import { type UvmSystem, uvmSystem } from "../../systems/uvm.ts";
import type { Command } from "../../vocabulary/command.ts";
import { formatOutcome } from "../../vocabulary/outcome.ts";
import { defaultWorld, type WorldConfig } from "../../vocabulary/world.ts";

export interface Checked {
  readonly outcomes: string[];
  readonly violation: Violation | null;
  readonly runner: Runner;
  readonly system: UvmSystem;
}

export function check(commands: readonly Command[], options: { variant?: string; world?: WorldConfig } = {}): Checked {
  const world = options.world ?? defaultWorld;
  const system = uvmSystem.create({ world, variant: options.variant ?? null, seed: 1 }) as UvmSystem;
  const runner = new Runner(system, world, exhaustibleMemory);
  const outcomes: string[] = [];
  for (const command of commands) {
    try {
      outcomes.push(formatOutcome(runner.run(command).outcome));
    } catch (error) {
      if (error instanceof ViolationError) return { outcomes, violation: error.violation, runner, system };
      throw error;
    }
  }
  return { outcomes, violation: null, runner, system };
}
