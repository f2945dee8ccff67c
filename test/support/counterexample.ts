// Counterexamples for tests: replay setups on the UVM system, temporary directories, and a
// file built from commands.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CounterexampleFile, counterexampleFormat, counterexampleSchemaVersion, uvmcheckVersion } from "../../properties/counterexample-files/counterexample-file.ts";
import { replayCommands, type ReplaySetup } from "../../properties/counterexample-files/replay.ts";
import { exhaustibleMemory } from "../../properties/checking/runner.ts";
import { uvmSystem } from "../../systems/uvm.ts";
import type { Command } from "../../vocabulary/command.ts";
import { defaultWorld, type WorldConfig } from "../../vocabulary/world.ts";

export function uvmSetup(variant: string | null, world: WorldConfig = defaultWorld): ReplaySetup {
  return { system: uvmSystem, variant, world, contract: exhaustibleMemory, hardwareSeed: 0, failures: {} };
}

/** The stored regressions: the JSON files directly in `directory` (never its subfolders, such as `found/`, where `uvmcheck run` writes). */
export function storedRegressions(directory: string = join(import.meta.dirname, "..", "..", "counterexamples")): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => entry.name)
    .sort();
}

/** A fresh directory under the system's temporary directory (never inside the repository). */
export function temporaryDirectory(): string {
  return mkdtempSync(join(tmpdir(), "uvmcheck-test-"));
}

/** The file for `commands` under `setup`. Requires: they fail. */
export function fileFor(setup: ReplaySetup, commands: readonly Command[]): CounterexampleFile {
  const violation = replayCommands(setup, commands).violation;
  if (violation === null) throw new Error("fileFor: the commands do not fail");
  return {
    format: counterexampleFormat,
    schemaVersion: counterexampleSchemaVersion,
    uvmcheckVersion: uvmcheckVersion(),
    system: setup.system.name,
    variant: setup.variant,
    status: "open",
    configuration: {
      world: setup.world,
      contract: setup.contract.name,
      failures: setup.failures,
      hardwareSeed: setup.hardwareSeed,
      swarm: null,
      maxCommands: null,
    },
    seed: null,
    path: null,
    replayPath: null,
    commands,
    failure: { check: violation.check, step: violation.step, message: violation.message },
  };
}
