// The layers, enforced: each top-level folder may import only the folders below it.
//
//   vocabulary   commands, outcomes, observations, the system contract: imports nothing of ours
//   model        the reference model: vocabulary only
//   impl         the implementations: vocabulary only (and itself)
//   variants     planted bugs as source edits: vocabulary only
//   properties   generators, checkers, counterexample files: vocabulary and model
//   systems      wires an implementation to the contract: anything but the command line
//   cli, bench   the command line and the benchmark: anything, but impl/ only through systems/
//   examples     a user's system module: vocabulary and systems, as a module outside would
//   test         anything
//
// A file in a folder this table does not know is a failure too: a new folder must say
// where it sits. Each offending import is reported as `file:line → target`.
import { describe, expect, it } from "vitest";
import { importsOf, sourceFiles } from "./support/source-tree.ts";

type Layer = "vocabulary" | "model" | "impl" | "variants" | "properties" | "systems" | "cli" | "bench" | "examples" | "test" | "root";

const everything: readonly Layer[] = ["vocabulary", "model", "impl", "variants", "properties", "systems", "cli", "bench", "examples", "test", "root"];

/** What each layer may import (its own folder included). */
const mayImport: Readonly<Record<Layer, readonly Layer[]>> = {
  vocabulary: ["vocabulary"],
  model: ["vocabulary", "model"],
  impl: ["vocabulary", "impl"],
  variants: ["vocabulary", "variants"],
  properties: ["vocabulary", "model", "properties"],
  systems: ["vocabulary", "model", "impl", "variants", "properties", "systems"],
  cli: ["vocabulary", "model", "properties", "systems", "bench", "cli"],
  bench: ["vocabulary", "model", "properties", "systems", "bench"],
  examples: ["vocabulary", "systems", "examples"],
  test: everything,
  root: everything,
};

/** The layer of a path relative to the root: its first folder, `root` for a file at the top. */
function layerOf(path: string): Layer | null {
  const slash = path.indexOf("/");
  if (slash < 0) return "root";
  const folder = path.slice(0, slash);
  return (everything as readonly string[]).includes(folder) ? (folder as Layer) : null;
}

describe("layering", () => {
  const files = sourceFiles();

  it("knows the layer of every source file", () => {
    expect(files.filter((file) => layerOf(file) === null)).toEqual([]);
  });

  it("no layer imports a layer above it", () => {
    const offending: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      if (from === null) continue;
      for (const site of importsOf(file)) {
        if (site.target === null) continue;
        const to = layerOf(site.target);
        if (to === null || !mayImport[from].includes(to)) offending.push(`${site.file}:${site.line} → ${site.target}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it("vocabulary imports no package either, except Node's own modules", () => {
    const offending = files
      .filter((file) => layerOf(file) === "vocabulary")
      .flatMap((file) => importsOf(file).filter((site) => site.target === null && !site.specifier.startsWith("node:")))
      .map((site) => `${site.file}:${site.line} → ${site.specifier}`);
    expect(offending).toEqual([]);
  });
});
