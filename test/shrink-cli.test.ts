// `uvmcheck shrink --out`: writes exactly the path given (whatever its name), refuses an
// existing file unless --force, takes a folder as "the default name in it", checks the
// destination before shrinking, and never loses a finished shrink to a failed write.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { serializeCounterexample } from "../properties/counterexample-files/counterexample-file.ts";
import { uvmcheck } from "./support/cli.ts";
import * as c from "./support/commands.ts";
import { fileFor, temporaryDirectory, uvmSetup } from "./support/counterexample.ts";
import { prepareVariantsNamedIn } from "./support/variants.ts";

// The variants this file runs in-process, loaded before any test creates a system with one.
await prepareVariantsNamedIn(import.meta.filename);

/** A failing file with a command too many, so that a shrink has something to do. */
function failingFile(): { directory: string; path: string } {
  const directory = temporaryDirectory();
  const path = join(directory, "found.json");
  const file = fileFor(uvmSetup("canary-cow-copy-skip"), [c.mmapFile(1, 1, 0, 0), c.read(1, 0), c.write(1, 0, 1)]);
  writeFileSync(path, serializeCounterexample(file));
  return { directory, path };
}

describe("uvmcheck shrink --out", () => {
  it("writes exactly the path given, even without .json or with a leading dot", () => {
    const { directory, path } = failingFile();
    for (const name of ["shrunk", ".hidden"]) {
      const out = join(directory, name);
      const { status, stdout } = uvmcheck(["shrink", path, "--out", out]);
      expect(status).toBe(0);
      expect(stdout.split("\n")[0]).toBe(`wrote ${out}`);
      expect(uvmcheck(["replay", out]).status).toBe(1);
    }
    expect(readdirSync(directory).sort()).toEqual([".hidden", "found.json", "shrunk"]);
  });

  it("refuses an existing file, leaving it as it was, unless --force", () => {
    const { directory, path } = failingFile();
    const out = join(directory, "taken.json");
    writeFileSync(out, "keep me");
    const refused = uvmcheck(["shrink", path, "--out", out]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(`uvmcheck: --out ${out} exists; give --force to replace it\n`);
    expect(readFileSync(out, "utf8")).toBe("keep me");
    expect(uvmcheck(["shrink", path, "--out", out, "--force"]).status).toBe(0);
    expect(uvmcheck(["replay", out]).status).toBe(1);
  });

  it("takes an existing folder as the place for the default name", () => {
    const { directory, path } = failingFile();
    mkdirSync(join(directory, "adir"));
    const { status, stdout } = uvmcheck(["shrink", path, "--out", join(directory, "adir")]);
    expect(status).toBe(0);
    expect(stdout.split("\n")[0]).toBe(`wrote ${join(directory, "adir", "found.shrunk.json")}`);
  });

  it("checks the destination before shrinking: a path under a file is exit 2 at once", () => {
    const { directory, path } = failingFile();
    const { status, stdout, stderr } = uvmcheck(["shrink", path, "--out", join(path, "x.json")]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(`uvmcheck: --out ${join(path, "x.json")} cannot be created: ${path} is a file\n`);
    expect(readdirSync(directory)).toEqual(["found.json"]);
  });

  it("never loses the shrink to a folder that refuses the write: it is saved elsewhere, and the line says where", () => {
    const { path } = failingFile();
    const { status, stderr } = uvmcheck(["shrink", path, "--out", "/proc/uvmcheck-shrunk.json"]);
    expect(status).toBe(2);
    expect(stderr.split("\n")).toHaveLength(2);
    const saved = /the shrunk counterexample was saved to (\S+)\n$/.exec(stderr)?.[1];
    if (saved === undefined) expect(stderr).toMatch(/^uvmcheck: --out \/proc\/uvmcheck-shrunk\.json: cannot write in \/proc \(permission denied\)\n$/);
    else {
      expect(stderr).toMatch(/^uvmcheck: could not write \/proc\/uvmcheck-shrunk\.json \(E[A-Z]+\); /);
      expect(existsSync(saved)).toBe(true);
      expect(uvmcheck(["replay", saved]).status).toBe(1);
    }
  });
});
