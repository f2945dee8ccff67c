// Runs the uvmcheck command line in a child process, as a user would.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("../../cli/uvmcheck.mjs", import.meta.url));

export function uvmcheck(args: readonly string[], options: { cwd?: string } = {}) {
  const result = spawnSync(process.execPath, [entry, ...args], { encoding: "utf8", cwd: options.cwd, timeout: 900_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export type CliResult = ReturnType<typeof uvmcheck>;

/**
 * A seed budget with fallbacks, never "the seed that finds it today": runs `args(seed)` for
 * each of `seeds` in turn until `wanted` holds of the result. Ensures: the seed and its
 * result, or the last one tried (which the caller's assertions then reject).
 */
export function uvmcheckWithSeeds(
  args: (seed: number) => readonly string[],
  wanted: (result: CliResult) => boolean,
  seeds: readonly number[] = [1, 2, 3, 4, 5],
  options: { cwd?: string } = {},
): { seed: number; result: CliResult } {
  let last: { seed: number; result: CliResult } | null = null;
  for (const seed of seeds) {
    last = { seed, result: uvmcheck(args(seed), options) };
    if (wanted(last.result)) return last;
  }
  return last!;
}
