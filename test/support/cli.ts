// Runs the uvmcheck command line in a child process, as a user would.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("../../cli/uvmcheck.mjs", import.meta.url));

export function uvmcheck(args: readonly string[], options: { cwd?: string } = {}) {
  const result = spawnSync(process.execPath, [entry, ...args], { encoding: "utf8", cwd: options.cwd, timeout: 300_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
