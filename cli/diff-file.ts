//! What `uvmcheck diff` keeps of a divergence: a divergence is a difference between two
//! systems, which may be a violation of one of them. Each side is replayed alone on the
//! shrunk commands through every check (the heal phase included, as a counterexample file
//! is replayed); a side that fails there has its failure written as a counterexample file,
//! exactly as `run` writes one (finding-file.ts: relative module paths, no duplicate
//! findings). A side the model agrees with passes and gets no file.

import type { Contract } from "../properties/checking/runner.ts";
import { replayCommands } from "../properties/counterexample-files/replay.ts";
import type { FoundDivergence } from "../properties/hunting/diff.ts";
import { splitSystemSpec } from "../systems/load-system.ts";
import type { WorldConfig } from "../vocabulary/world.ts";
import type { SystemChoice } from "../systems/load-system.ts";
import { saveFinding } from "./finding-file.ts";
import type { Saved } from "./run-text.ts";

export interface SideFile {
  readonly side: "A" | "B";
  readonly check: string;
  readonly saved: Saved;
}

interface DiffSetting {
  readonly a: SystemChoice;
  readonly b: SystemChoice;
  readonly world: WorldConfig;
  readonly contract: Contract;
  readonly maxCommands: number;
}

/** Ensures: one entry per side that fails the shrunk commands against the model. */
export function saveDivergence(found: FoundDivergence, setting: DiffSetting, directory: string): SideFile[] {
  const sides: ["A" | "B", SystemChoice][] = [
    ["A", setting.a],
    ["B", setting.b],
  ];
  return sides.flatMap(([side, choice]) => {
    const setup = { system: choice.system, variant: choice.variant, world: setting.world, contract: setting.contract, hardwareSeed: found.hardwareSeed, failures: {} };
    const replay = replayCommands(setup, found.commands);
    if (replay.violation === null) return [];
    const commands = [...replay.executed, ...replay.healed];
    const finding = {
      violation: replay.violation,
      commands,
      seed: found.seed,
      path: found.path,
      replayPath: "",
      world: setting.world,
      swarm: found.swarm,
      hardwareSeed: found.hardwareSeed,
      failureRates: {},
    };
    const origin = { reference: splitSystemSpec(choice.spec).reference, variant: choice.variant, contract: setting.contract.name, maxCommands: setting.maxCommands };
    return [{ side, check: replay.violation.check, saved: saveFinding(finding, origin, directory) }];
  });
}

/**
 * The lines naming the files written (or not).
 * Ensures: one line per side file, or one saying there is none.
 */
export function fileLines(files: readonly SideFile[]): string[] {
  if (files.length === 0) return ["  neither side fails these commands against the model alone: no counterexample file"];
  return files.map(({ side, check, saved }) => {
    const where = saved.kind === "unwritten" ? `not written: ${saved.reason}` : saved.kind === "duplicate" ? `the same finding as ${saved.path}` : `written to ${saved.path}`;
    return `  ${side} alone fails ${check} against the model: counterexample ${where}`;
  });
}

/**
 * The fields of the CI reports.
 * Ensures: the verdict violation exactly when A and B diverged.
 */
export function diffCiFields(
  result: { readonly divergence: FoundDivergence | null; readonly runs: number; readonly commands: number; readonly interrupted?: boolean },
  files: readonly SideFile[],
) {
  const found = result.divergence;
  const paths = files.flatMap(({ saved }) => (saved.kind === "unwritten" ? [] : [saved.path]));
  const verdict = found !== null ? ("violation" as const) : result.interrupted === true ? ("interrupted" as const) : ("passed" as const);
  return {
    verdict,
    ...(found === null ? {} : { failureType: "divergence", message: `A and B differ at command ${found.index} (${found.command.kind}): ${found.kind}` }),
    ...(found === null && result.interrupted === true ? { message: `INTERRUPTED after ${result.runs} runs` } : {}),
    runs: result.runs,
    commands: result.commands,
    counterexamples: paths,
  };
}
