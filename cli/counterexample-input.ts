//! A counterexample file named on the command line, loaded for `replay` and `shrink`: read,
//! checked field by field, its system loaded and its variant and contract resolved. Any
//! problem is a UsageError (one line, exit 2), and nothing on disk is touched.

import { type CounterexampleFile, CounterexampleFileError } from "../properties/counterexample-files/counterexample-file.ts";
import { readCounterexample } from "../properties/counterexample-files/counterexample-store.ts";
import { type ReplaySetup, setupFromFile } from "../properties/counterexample-files/replay.ts";
import { loadSystem, SystemLoadError } from "../systems/load-system.ts";
import { UsageError } from "./usage-error.ts";

export interface LoadedCounterexample {
  readonly path: string;
  readonly file: CounterexampleFile;
  readonly setup: ReplaySetup;
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

/** Ensures: a file that replay can run, or a UsageError naming the first problem. */
export async function loadCounterexample(path: string): Promise<LoadedCounterexample> {
  const file = asUsageError(() => readCounterexample(path));
  let system: Awaited<ReturnType<typeof loadSystem>>;
  try {
    system = await loadSystem(file.system);
  } catch (error) {
    if (error instanceof SystemLoadError) throw new UsageError(`${path}: system: ${error.message}`);
    throw error;
  }
  const setup = asUsageError(() => {
    try {
      return setupFromFile(file, system);
    } catch (error) {
      if (error instanceof CounterexampleFileError) throw new CounterexampleFileError(`${path}: ${error.message}`);
      throw error;
    }
  });
  return { path, file, setup };
}
