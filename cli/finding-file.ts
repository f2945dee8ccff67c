//! Saving a campaign's finding as a counterexample file (`run`, `mutants`): the file names
//! its system so that it replays from any folder (system-reference.ts), and a finding the
//! folder already holds is not written again (failure-signature.ts): the report points to
//! the file that has it. A folder that refuses the write costs the file, never the report.

import { join } from "node:path";
import { counterexampleFromFinding } from "../properties/counterexample-files/counterexample-file.ts";
import { counterexampleStem, writeCounterexample } from "../properties/counterexample-files/counterexample-store.ts";
import { readDatabase } from "../properties/counterexample-files/example-database.ts";
import { failureSignature } from "../properties/counterexample-files/failure-signature.ts";
import { storedSystemReference, systemIdentity } from "./system-reference.ts";
import type { FoundViolation } from "../properties/hunting/campaign.ts";
import type { Saved } from "./run-text.ts";

export interface FindingOrigin {
  /** The system as given on the command line (relative to the working folder), without a variant. */
  readonly reference: string;
  readonly variant: string | null;
  readonly contract: string;
  readonly maxCommands: number;
}

/** Ensures: the file written, or the stored file with the same finding, or why neither. */
export function saveFinding(found: FoundViolation, origin: FindingOrigin, directory: string): Saved {
  try {
    const system = storedSystemReference(origin.reference, directory);
    const file = counterexampleFromFinding(found, { system, variant: origin.variant, contract: origin.contract, maxCommands: origin.maxCommands });
    const signature = failureSignature(file, systemIdentity(system, join(directory, "new.json")));
    const same = readDatabase(directory).files.find((stored) => failureSignature(stored.file, systemIdentity(stored.file.system, stored.path)) === signature);
    if (same !== undefined) return { kind: "duplicate", path: same.path };
    return { kind: "written", path: writeCounterexample(directory, counterexampleStem(file), file) };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    return { kind: "unwritten", reason: `could not write into ${directory} (${reason})` };
  }
}
