// Runs the uvmcheck command line in a child process, as a user would: to its end
// (`uvmcheck`, `uvmcheckWithSeeds`), or started and steered (`startUvmcheck`: read its
// output as it comes, send it a signal, wait for its exit).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const entry = fileURLToPath(new URL("../../cli/uvmcheck.mjs", import.meta.url));

export interface CliOptions {
  readonly cwd?: string;
  /** Variables added to this process's environment. */
  readonly env?: NodeJS.ProcessEnv;
}

export function uvmcheck(args: readonly string[], options: CliOptions = {}) {
  const env = options.env === undefined ? undefined : { ...process.env, ...options.env };
  const result = spawnSync(process.execPath, [entry, ...args], { encoding: "utf8", cwd: options.cwd, env, timeout: 900_000 });
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
  options: CliOptions = {},
): { seed: number; result: CliResult } {
  let last: { seed: number; result: CliResult } | null = null;
  for (const seed of seeds) {
    last = { seed, result: uvmcheck(args(seed), options) };
    if (wanted(last.result)) return last;
  }
  return last!;
}

export interface Running {
  readonly child: ChildProcess;
  /** Resolves once stderr contains `text`. */
  stderrContains(text: string): Promise<void>;
  /** Resolves with the exit code and everything printed. */
  readonly exited: Promise<{ status: number | null; stdout: string; stderr: string }>;
}

export function startUvmcheck(args: readonly string[], options: CliOptions = {}): Running {
  const child = spawn(process.execPath, [entry, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout!.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr!.on("data", (chunk) => {
    stderr += String(chunk);
    for (const waiter of waiters.filter((candidate) => stderr.includes(candidate.text))) waiter.resolve();
  });
  const exited = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
  const stderrContains = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (stderr.includes(text)) return resolve();
      waiters.push({ text, resolve });
      exited.then(() => reject(new Error(`exited before printing "${text}" on stderr:\n${stderr}`)));
    });
  return { child, stderrContains, exited };
}
