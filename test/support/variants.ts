// Loads variants' copies of impl/ before a test creates systems with them in-process
// (SystemFactory.prepare; systems/uvm-variants.ts). Call it in a `beforeAll`.
import { prepareVariant } from "../../systems/load-system.ts";
import { uvmSystem } from "../../systems/uvm.ts";

/** Prepares each of `names` (variants of uvm; default: every one). */
export async function prepareUvmVariants(names: readonly string[] = uvmSystem.variants.map((variant) => variant.name)): Promise<void> {
  for (const name of names) await prepareVariant(uvmSystem, name);
}
