// Loads variants' copies of impl/ before a test creates systems with them in-process
// (SystemFactory.prepare; systems/uvm-variants.ts, systems/dragonfly-variants.ts): `await`
// one of these at the top of the test file (or in a `beforeAll`).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { dragonflySystem } from "../../systems/dragonfly.ts";
import { prepareVariant } from "../../systems/load-system.ts";
import { uvmSystem } from "../../systems/uvm.ts";
import type { SystemFactory } from "../../vocabulary/system-under-test.ts";

const everyVariant = (system: SystemFactory) => system.variants.map((variant) => variant.name);

/** Prepares each of `names` (variants of uvm; default: every one). */
export async function prepareUvmVariants(names: readonly string[] = everyVariant(uvmSystem)): Promise<void> {
  for (const name of names) await prepareVariant(uvmSystem, name);
}

/** Prepares each of `names` (variants of dragonfly; default: every one). */
export async function prepareDragonflyVariants(names: readonly string[] = everyVariant(dragonflySystem)): Promise<void> {
  for (const name of names) await prepareVariant(dragonflySystem, name);
}

/**
 * Prepares every variant of uvm and of dragonfly named in the text of `paths` (a test file,
 * say, or a folder of stored counterexamples): what the test may create in-process.
 */
export async function prepareVariantsNamedIn(...paths: readonly string[]): Promise<void> {
  const texts = paths.flatMap((path) =>
    path.endsWith(".json") || path.endsWith(".ts")
      ? [readFileSync(path, "utf8")]
      : readdirSync(path, { recursive: true, encoding: "utf8" })
          .filter((name) => name.endsWith(".json"))
          .map((name) => readFileSync(join(path, name), "utf8")),
  );
  const named = (system: SystemFactory) => everyVariant(system).filter((name) => texts.some((text) => text.includes(name)));
  await prepareUvmVariants(named(uvmSystem));
  await prepareDragonflyVariants(named(dragonflySystem));
}
