//! A counterexample file named on the command line, loaded for `replay`, `shrink` and
//! `report`: read, checked field by field, its system loaded and its variant and contract
//! resolved. The file's `system` is found from the file's own folder
//! (cli/system-reference.ts), unless `--system SPEC` names the
//! system to use instead (SPEC's `:VARIANT`, if any, replaces the file's variant). Any
//! problem is a UsageError (one line, exit 2), and nothing on disk is touched.

import { type CounterexampleFile, CounterexampleFileError } from "../properties/counterexample-files/counterexample-file.ts";
import { readCounterexample } from "../properties/counterexample-files/counterexample-store.ts";
import { type ReplaySetup, setupFromFile } from "../properties/counterexample-files/replay.ts";
import { resolveStoredSystem } from "./system-reference.ts";
import { loadSystem, loadSystemSpec, prepareVariant, SystemLoadError, splitSystemSpec } from "../systems/load-system.ts";
import type { SystemFactory } from "../vocabulary/system-under-test.ts";
import { UsageError } from "./usage-error.ts";

export interface LoadedCounterexample {
  readonly path: string;
  readonly file: CounterexampleFile;
  readonly setup: ReplaySetup;
  /** The system reference used, as the user would type it (`--system`'s, or the file's resolved). */
  readonly systemReference: string;
}

/** Runs `work`, turning a bad file into a UsageError. */
export function asUsageError<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof CounterexampleFileError) throw new UsageError(error.message);
    throw error;
  }
}

async function systemFor(path: string, file: CounterexampleFile, override: string | undefined) {
  try {
    if (override !== undefined) {
      const choice = await loadSystemSpec(override);
      const variant = choice.variant ?? file.variant;
      await prepareVariant(choice.system, variant);
      return { system: choice.system, variant, reference: splitSystemSpec(override).reference };
    }
    const reference = resolveStoredSystem(file.system, path);
    const system = await loadSystem(reference);
    await prepareVariant(system, file.variant);
    return { system, variant: file.variant, reference };
  } catch (error) {
    if (error instanceof SystemLoadError) {
      const hint = override === undefined ? " (give --system PATH to load it from elsewhere)" : "";
      throw new UsageError(`${override === undefined ? `${path}: system` : "--system"}: ${error.message}${hint}`);
    }
    throw error;
  }
}

/** Ensures: a file that replay can run, or a UsageError naming the first problem. */
export async function loadCounterexample(path: string, systemOverride?: string): Promise<LoadedCounterexample> {
  const file = asUsageError(() => readCounterexample(path));
  const { system, variant, reference } = await systemFor(path, file, systemOverride);
  const setup = asUsageError(() => {
    try {
      return setupFromFile(file, system as SystemFactory, variant);
    } catch (error) {
      if (error instanceof CounterexampleFileError) throw new CounterexampleFileError(`${path}: ${error.message}`);
      throw error;
    }
  });
  return { path, file, setup, systemReference: reference };
}
