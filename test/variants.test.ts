// Planted bugs outside the faithful code (variants/): every canary's and mutant's edit still
// applies, exactly once, to today's impl/ (like a patch: a refactoring that moves the lines
// fails here, naming the variant and the file); every variant's copy of impl/ loads and
// boots; the copy shares what it does not change with the faithful system; and impl/ keeps
// no switch for a canary or a mutant. For every system with source variants: uvm and dragonfly.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dragonflySystem } from "../systems/dragonfly.ts";
import { dragonflySourceVariants, dragonflyVariantCopy } from "../systems/dragonfly-variants.ts";
import { uvmSourceVariants, uvmVariantCopy } from "../systems/uvm-variants.ts";
import { uvmSystem } from "../systems/uvm.ts";
import { materializeVariant } from "../variants/materialize.ts";
import { applyEdit, EditNoLongerApplies, edit, editedSources, type SourceVariant } from "../variants/source-edit.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import { temporaryDirectory } from "./support/counterexample.ts";
import { prepareDragonflyVariants, prepareUvmVariants } from "./support/variants.ts";

const root = join(import.meta.dirname, "..");
const read = (file: string) => readFileSync(join(root, file), "utf8");

describe("source edits", () => {
  it("apply to whole lines, whatever their indentation, and keep it", () => {
    const source = "a();\n  if (x) {\n    b();\n  }\n";
    expect(applyEdit("v", source, edit("f.ts", "b();", "c();\n  d();"))).toBe("a();\n  if (x) {\n    c();\n      d();\n  }\n");
    expect(applyEdit("v", source, edit("f.ts", ["if (x) {", "b();", "}"], ""))).toBe("a();\n");
  });

  it("refuse loudly a snippet that is gone or ambiguous", () => {
    expect(() => applyEdit("canary-x", "a();\n", edit("impl/f.ts", "b();", ""))).toThrow(EditNoLongerApplies);
    expect(() => applyEdit("canary-x", "a();\n", edit("impl/f.ts", "b();", ""))).toThrow("variant canary-x: edit no longer applies to impl/f.ts: snippet not found: b();");
    expect(() => applyEdit("canary-x", "b();\nb();\n", edit("impl/f.ts", "b();", ""))).toThrow("snippet found 2 times");
  });

  it("every canary and mutant of every system changes impl/, each edit applying exactly once", () => {
    expect(uvmSourceVariants.length).toBeGreaterThanOrEqual(70);
    expect(dragonflySourceVariants.length).toBe(32);
    const failures: string[] = [];
    for (const variant of [...uvmSourceVariants, ...dragonflySourceVariants]) {
      try {
        const edited = editedSources(variant, read);
        for (const [file, text] of edited) if (text === read(file)) failures.push(`${variant.name}: ${file} unchanged`);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    expect(failures).toEqual([]);
  });

  it("impl/ keeps no switch for a canary or a mutant: only seed bugs, as uvm.seedBehaviour and vm.seedBehaviour", () => {
    const grep = (pattern: string) => execFileSync("git", ["grep", "-n", "-E", pattern, "--", "impl"], { cwd: root, encoding: "utf8" }).trim();
    expect(() => grep("planted\\(")).toThrow(); // git grep exits 1 when nothing matches
    const switches = grep("seedBehaviour\\(\"").split("\n");
    expect(switches.length).toBeGreaterThan(0);
    for (const line of switches) expect(line).toMatch(/seedBehaviour\("seed-/);
  });
});

describe("materialised copies", () => {
  /** A system of three files and a vocabulary: entry → edited → vocabulary; other is left alone. */
  function tinyRoot(): string {
    const tiny = temporaryDirectory();
    mkdirSync(join(tiny, "impl", "deep"), { recursive: true });
    mkdirSync(join(tiny, "vocabulary"));
    writeFileSync(join(tiny, "vocabulary", "word.ts"), 'export const word = "faithful";\n');
    writeFileSync(join(tiny, "impl", "entry.ts"), 'import { value } from "./deep/edited.ts";\nimport { other } from "./other.ts";\nexport const both = [value, other];\n');
    writeFileSync(join(tiny, "impl", "deep", "edited.ts"), 'import { word } from "../../vocabulary/word.ts";\nexport const value = word;\n');
    writeFileSync(join(tiny, "impl", "other.ts"), "export const other = 1;\n");
    return tiny;
  }
  const variant: SourceVariant = {
    name: "mutant-tiny",
    kind: "mutant",
    description: "the value is not the word",
    corrupts: "nothing real",
    edits: [edit("impl/deep/edited.ts", "export const value = word;", 'export const value = "bug";')],
  };

  it("copy the edited file and its importers only, pointing every other import at the original", () => {
    const tiny = tinyRoot();
    const entry = materializeVariant({ root: tiny, sourceFolder: "impl", entry: "impl/entry.ts", variant });
    const copy = join(entry, "..", "..");
    expect(existsSync(join(copy, "impl", "other.ts"))).toBe(false);
    expect(readFileSync(entry, "utf8")).toContain('from "./deep/edited.ts"');
    expect(readFileSync(entry, "utf8")).toContain(`from "${join(tiny, "impl", "other.ts")}"`);
    const edited = readFileSync(join(copy, "impl", "deep", "edited.ts"), "utf8");
    expect(edited).toContain(`from "${join(tiny, "vocabulary", "word.ts")}"`);
    expect(edited).toContain('export const value = "bug";');
  });

  it("are reused while the sources stay, and made anew when they change", () => {
    const tiny = tinyRoot();
    const request = { root: tiny, sourceFolder: "impl", entry: "impl/entry.ts", variant };
    const first = materializeVariant(request);
    expect(materializeVariant(request)).toBe(first);
    writeFileSync(join(tiny, "impl", "entry.ts"), `${readFileSync(join(tiny, "impl", "entry.ts"), "utf8")}// changed\n`);
    expect(materializeVariant(request)).not.toBe(first);
  });

  it("refuse an edit of a file outside the source folder or one the entry does not import", () => {
    const tiny = tinyRoot();
    const outside = { ...variant, edits: [edit("vocabulary/word.ts", 'export const word = "faithful";', "")] };
    expect(() => materializeVariant({ root: tiny, sourceFolder: "impl", entry: "impl/entry.ts", variant: outside })).toThrow("not a source file under impl/");
    const unreachable = { ...variant, edits: [edit("impl/entry.ts", "export const both = [value, other];", "")] };
    expect(() => materializeVariant({ root: tiny, sourceFolder: "impl", entry: "impl/deep/edited.ts", variant: unreachable })).toThrow("does not import");
  });
});

describe("every variant's copy of impl/", () => {
  beforeAll(async () => {
    await prepareUvmVariants();
    await prepareDragonflyVariants();
  });

  it("loads, boots and shares the vocabulary and the unchanged modules with the faithful system", async () => {
    const systems = [
      { system: uvmSystem, variants: uvmSourceVariants },
      { system: dragonflySystem, variants: dragonflySourceVariants },
    ];
    for (const { system, variants } of systems) {
      for (const variant of variants) {
        const booted = system.create({ world: defaultWorld, variant: variant.name, seed: 1 });
        expect(booted.observe(), `${system.name}:${variant.name}`).toEqual(system.create({ world: defaultWorld, variant: null, seed: 1 }).observe());
      }
    }
    const copy = (await import(uvmVariantCopy(uvmSourceVariants[0]!))) as typeof import("../impl/uvm-system.ts");
    const faithful = await import("../impl/uvm-system.ts");
    expect(copy.uvmKernel.UvmMachine).not.toBe(faithful.uvmKernel.UvmMachine);
    const { Machine } = await import("../impl/hardware/machine.ts");
    expect(new copy.uvmKernel.UvmMachine(defaultWorld, null, 1).machine).toBeInstanceOf(Machine);
    const dragonflyCopy = (await import(dragonflyVariantCopy(dragonflySourceVariants[0]!))) as typeof import("../impl/dragonfly/dragonfly-machine.ts");
    const dragonflyFaithful = await import("../impl/dragonfly/dragonfly-machine.ts");
    expect(dragonflyCopy.dragonflyImplementation.DragonflyMachine).not.toBe(dragonflyFaithful.dragonflyImplementation.DragonflyMachine);
    expect(new dragonflyCopy.dragonflyImplementation.DragonflyMachine(defaultWorld, null, 1).machine).toBeInstanceOf(Machine);
  });

  it("type-checks (tsc over every copy, with the repository's settings)", () => {
    const project = join(temporaryDirectory(), "tsconfig.json");
    const files = [...uvmSourceVariants.map((variant) => uvmVariantCopy(variant)), ...dragonflySourceVariants.map((variant) => dragonflyVariantCopy(variant))];
    const typeRoots = [join(root, "node_modules", "@types")];
    writeFileSync(project, JSON.stringify({ extends: join(root, "tsconfig.json"), compilerOptions: { typeRoots }, include: [], files }));
    const tsc = join(root, "node_modules", ".bin", "tsc");
    expect(() => execFileSync(tsc, ["--noEmit", "-p", project], { encoding: "utf8", stdio: "pipe" })).not.toThrow();
  });
});
