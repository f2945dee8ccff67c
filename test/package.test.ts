// uvmcheck as another project's dependency: the packed tarball carries the program, not the
// tests, fixtures or stored counterexamples; installed (unpacked into node_modules, its
// dependencies beside it), its `exports` give a user's TypeScript module the types and
// values it imports (`uvmcheck`, `uvmcheck/vocabulary/*`, `uvmcheck/systems/*`), the
// module type-checks, and the installed command runs it.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { temporaryDirectory } from "./support/counterexample.ts";

const repository = join(import.meta.dirname, "..");
const project = temporaryDirectory();
let packed: string[] = [];

function run(command: string, args: readonly string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 300_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  const packing = run("npm", ["pack", repository, "--json", "--pack-destination", project], project);
  expect(packing.status, packing.stderr).toBe(0);
  const [tarball] = JSON.parse(packing.stdout) as { filename: string; files: { path: string }[] }[];
  packed = tarball!.files.map((file) => file.path);
  const installed = join(project, "node_modules", "uvmcheck");
  mkdirSync(installed, { recursive: true });
  expect(run("tar", ["-xzf", join(project, tarball!.filename), "-C", installed, "--strip-components=1"], project).status).toBe(0);
  for (const dependency of readdirSync(join(repository, "node_modules"))) {
    symlinkSync(join(repository, "node_modules", dependency), join(project, "node_modules", dependency));
  }
}, 300_000);

describe("the packed tarball", () => {
  it("carries the program and its documentation, no tests, fixtures or stored counterexamples", () => {
    expect(packed).toContain("cli/uvmcheck.mjs");
    expect(packed).toContain("vocabulary/system-under-test.ts");
    expect(packed).toContain("counterexamples/README.md");
    expect(packed.filter((path) => path.startsWith("test/") || path.startsWith("test-artifacts/"))).toEqual([]);
    expect(packed.filter((path) => path.startsWith("counterexamples/") && path.endsWith(".json"))).toEqual([]);
  });

  it("installed, gives a user's .ts module its types and values, which type-check and run", () => {
    writeFileSync(
      join(project, "mine.ts"),
      `import type { SystemFactory } from "uvmcheck";
import type { Command } from "uvmcheck/vocabulary/command";
import { error } from "uvmcheck/vocabulary/outcome";
import { uvmSystem } from "uvmcheck/systems/uvm";

const system: SystemFactory = {
  ...uvmSystem,
  name: "mine",
  variants: [],
  create(options) {
    const inner = uvmSystem.create(options);
    return Object.assign(Object.create(inner), { apply: (command: Command) => (command.kind === "exit" && command.pid === 99 ? error("ESRCH") : inner.apply(command)) });
  },
};
export default system;
`,
    );
    const compilerOptions = { module: "nodenext", moduleResolution: "nodenext", target: "ES2022", lib: ["ES2023"], allowImportingTsExtensions: true, noEmit: true, strict: true, skipLibCheck: true, types: ["node"] };
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["mine.ts"] }));
    const typeCheck = run(process.execPath, [join(project, "node_modules", "typescript", "bin", "tsc"), "-p", "."], project);
    expect(typeCheck.stdout + typeCheck.stderr).toBe("");
    expect(typeCheck.status).toBe(0);
    const command = join(project, "node_modules", "uvmcheck", "cli", "uvmcheck.mjs");
    const campaign = run(process.execPath, [command, "run", "--system", "./mine.ts", "--runs", "3", "--seed", "1", "--json"], project);
    expect(campaign.stderr).toBe("");
    expect(campaign.status).toBe(0);
    expect(JSON.parse(campaign.stdout)).toMatchObject({ system: "mine", runs: 3, verdict: "passed" });
  });
});
