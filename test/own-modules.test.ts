// A user's own system module, wherever it lives and however it is written: `.ts`, `.mts`,
// `.mjs`, `.js` (ES module or CommonJS) in a folder outside the repository with no
// package.json load and run; the classes it imports from uvmcheck are uvmcheck's own (an
// AssertionFailure is an `assertion`, not a `crash`); a crash keeps its stack trace in the
// report and the file; the file names the module relative to itself, so it replays from any
// folder, and `--system` points replay and shrink at a module that moved; a system that
// answers differently on replay is named as such, its failing run saved unshrunk.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { uvmcheck } from "./support/cli.ts";

const repository = join(import.meta.dirname, "..");
const url = (path: string) => JSON.stringify(pathToFileURL(join(repository, path)).href);
const scratch = mkdtempSync(join(tmpdir(), "uvmcheck-own-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function module(name: string, text: string, folder = scratch): string {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, name), text);
  return `./${name}`;
}

/** A system that runs no command (the smallest that loads), in plain JavaScript. */
const smallest = `{
  name: "smallest", description: "answers EINVAL", variants: [], requiredCoverage: [],
  create() {
    return { invariantNames: [], apply() { return { kind: "error", errno: "EINVAL" }; },
      observe() { return { processes: [{ pid: 1, pages: [] }], files: [], loans: [] }; },
      checkInvariants() { return null; }, coverage() { return new Map(); } };
  },
}`;

describe("system modules load wherever they live", () => {
  it.each([
    ["a .ts module with type imports", "typed.ts", `import type { SystemFactory } from ${url("vocabulary/system-under-test.ts")};\nconst system: SystemFactory = ${smallest};\nexport default system;\n`],
    ["a .mts module", "typed.mts", `const system = ${smallest} as const;\nexport default system;\n`],
    ["a .mjs module", "plain.mjs", `export default ${smallest};\n`],
    ["a .js ES module outside any package", "esm.js", `export const system = ${smallest};\n`],
    ["a .js CommonJS module", "common.js", `module.exports = ${smallest};\n`],
  ])("%s", (_what, name, text) => {
    const path = module(name, text);
    const { status, stdout, stderr } = uvmcheck(["variants", "--system", path], { cwd: scratch });
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(stdout).toMatch(/system smallest has no variants/);
  });

  it("a .ts module shares uvmcheck's classes: its AssertionFailure is check assertion", () => {
    const path = module(
      "asserting.ts",
      `import { AssertionFailure } from ${url("vocabulary/assert.ts")};
import { uvmSystem } from ${url("systems/uvm.ts")};
import type { Command } from ${url("vocabulary/command.ts")};
export default { ...uvmSystem, name: "asserting", variants: [], create(options: Parameters<typeof uvmSystem.create>[0]) {
  const inner = uvmSystem.create(options);
  return Object.assign(Object.create(inner), { apply(command: Command) {
    if (command.kind === "write") throw new AssertionFailure("asserting: planted");
    return inner.apply(command);
  } });
} };
`,
    );
    const { status, stdout } = uvmcheck(["run", "--system", path, "--runs", "50", "--seed", "1", "--schedule", "none", "--out", "found-assert", "--json"], { cwd: scratch });
    expect(status).toBe(1);
    const report = JSON.parse(stdout) as { violations: { check: string; message: string }[] };
    expect(report.violations[0]).toMatchObject({ check: "assertion", message: "asserting: planted" });
  });

  it("a crash keeps its stack trace in the report and in the file", () => {
    const path = module(
      "crashing.mjs",
      `import { uvmSystem } from ${url("systems/uvm.ts")};
function explode() { throw new TypeError("crashing: planted"); }
export default { ...uvmSystem, name: "crashing", variants: [], create(options) {
  const inner = uvmSystem.create(options);
  return Object.assign(Object.create(inner), { apply(command) { if (command.kind === "write") explode(); return inner.apply(command); } });
} };
`,
    );
    const { status, stdout } = uvmcheck(["run", "--system", path, "--runs", "50", "--seed", "1", "--schedule", "none", "--out", "found-crash"], { cwd: scratch });
    expect(status).toBe(1);
    expect(stdout).toMatch(/VIOLATION crash at step \d+/);
    expect(stdout).toMatch(/TypeError: crashing: planted\n {2}stack trace of the crash:\n {4}TypeError: crashing: planted\n {4}at explode \(.*crashing\.mjs/);
    const file = /counterexample written to (.*)\n/.exec(stdout)![1]!;
    const stored = JSON.parse(readFileSync(join(scratch, file), "utf8")) as { failure: { check: string; stack: string } };
    expect(stored.failure.check).toBe("crash");
    expect(stored.failure.stack).toMatch(/at explode \(.*crashing\.mjs/);
  });
});

describe("a counterexample from a user's module replays from anywhere", () => {
  const wrapped = () => module("wrapped.mjs", `import example from ${url("examples/uvm-with-logging.ts")};\nexport default { ...example, name: "wrapped" };\n`);
  const found = ["--runs", "200", "--seed", "1", "--schedule", "none", "--out", "found"];

  it("stores the module relative to the file, replays from another folder, and takes --system when the module moved", () => {
    const path = wrapped();
    const run = uvmcheck(["run", "--system", `${path}:canary-cow-copy-skip`, ...found], { cwd: scratch });
    expect(run.status).toBe(1);
    const file = join(scratch, /counterexample written to (.*)\n/.exec(run.stdout)![1]!);
    expect((JSON.parse(readFileSync(file, "utf8")) as { system: string }).system).toBe("../wrapped.mjs");
    expect(uvmcheck(["replay", file], { cwd: repository }).status).toBe(1);
    mkdirSync(join(scratch, "moved"), { recursive: true });
    renameSync(join(scratch, "wrapped.mjs"), join(scratch, "moved", "wrapped.mjs"));
    const lost = uvmcheck(["replay", file], { cwd: repository });
    expect(lost.status).toBe(2);
    expect(lost.stderr).toMatch(/system module .*wrapped\.mjs does not exist .*give --system PATH to load it from elsewhere/);
    const moved = join(scratch, "moved", "wrapped.mjs");
    expect(uvmcheck(["replay", file, "--system", moved], { cwd: repository }).status).toBe(1);
    const shrunk = uvmcheck(["shrink", file, "--system", moved, "--out", join(scratch, "moved", "shrunk.json"), "--json"], { cwd: repository });
    expect(shrunk.status).toBe(0);
    expect((JSON.parse(readFileSync(join(scratch, "moved", "shrunk.json"), "utf8")) as { system: string }).system).toBe("./wrapped.mjs");
  });
});

describe("a system that answers differently on replay", () => {
  it("is named, with the step, and its failing run is saved unshrunk", () => {
    const path = module(
      "fickle.mjs",
      `import { uvmSystem } from ${url("systems/uvm.ts")};
let created = 0;
let misbehaved = false;
export default { ...uvmSystem, name: "fickle", variants: [], create(options) {
  const inner = uvmSystem.create(options);
  const number = ++created;
  return Object.assign(Object.create(inner), { apply(command) {
    if (number >= 4 && !misbehaved && command.kind === "write") { misbehaved = true; return { kind: "error", errno: "EINVAL" }; }
    return inner.apply(command);
  } });
} };
`,
    );
    const { status, stdout } = uvmcheck(["run", "--system", path, "--runs", "50", "--seed", "1", "--schedule", "none", "--out", "found-fickle"], { cwd: scratch });
    expect(status).toBe(1);
    const words = stdout.replace(/\s+/g, " ");
    expect(words).toMatch(/the system answered differently on replay at step (\d+) \(write pid=[^)]*\): EINVAL in the run, [A-Z]+ on replay/);
    expect(words).toMatch(/the system is not deterministic: the counterexample keeps the failing run's commands, unshrunk/);
    const file = /counterexample written to (.*)\n/.exec(stdout)![1]!;
    const stored = JSON.parse(readFileSync(join(scratch, file), "utf8")) as { failure: { check: string }; commands: unknown[] };
    expect(stored.failure.check).toBe("outcome");
    const length = stored.commands.length;
    expect(stdout).toContain(`unshrunk, ${length} ${length === 1 ? "command" : "commands"}:`);
  });
});
