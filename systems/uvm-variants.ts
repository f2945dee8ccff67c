//! The UVM system's variants and where each one's kernel comes from:
//!
//!   seed-bug  the faithful impl/, with `uvm.seedBehaviour(name)` on (impl/uvm/seed-bugs.ts)
//!   canary    a copy of impl/ with the canary's edits (variants/uvm-canaries.ts)
//!   mutant    a copy of impl/ with the mutant's edits (variants/uvm-mutants.ts)
//!
//! A copy is materialised (variants/materialize.ts) and imported by `prepareUvmVariant`,
//! once per process or worker thread; `create` then builds instances from it synchronously.

import { fileURLToPath } from "node:url";
import { type UvmKernel, uvmKernel } from "../impl/uvm-system.ts";
import { isSeedBugName, type SeedBugName, seedBugCatalog } from "../impl/uvm/seed-bugs.ts";
import { materializeVariant } from "../variants/materialize.ts";
import type { SourceVariant } from "../variants/source-edit.ts";
import { uvmCanaries } from "../variants/uvm-canaries.ts";
import { uvmMutants } from "../variants/uvm-mutants.ts";
import type { VariantInfo } from "../vocabulary/system-under-test.ts";

/** The canaries and mutants: variants defined by source edits of impl/. */
export const uvmSourceVariants: readonly SourceVariant[] = [...uvmCanaries, ...uvmMutants];

/** Every variant, as `uvmcheck variants` lists them: canaries, mutants, seed bugs. */
export const uvmVariants: readonly VariantInfo[] = [...uvmSourceVariants, ...seedBugCatalog].map(({ name, kind, description, corrupts }) => ({
  name,
  kind,
  description,
  corrupts,
}));

/** The repository: the folder the edits' file names are relative to. */
const root = fileURLToPath(new URL("..", import.meta.url));

/** Materialises `variant`'s copy of impl/ (if it is not in the cache yet); returns the path of its entry module. */
export function uvmVariantCopy(variant: SourceVariant): string {
  return materializeVariant({ root, sourceFolder: "impl", entry: "impl/uvm-system.ts", variant });
}

const loading = new Map<string, Promise<UvmKernel>>();
const loaded = new Map<string, UvmKernel>();

/** Loads the kernel `name` runs on (a no-op for the faithful system and for seed bugs). Requires: `name` is a variant of uvm. */
export async function prepareUvmVariant(name: string): Promise<void> {
  const variant = uvmSourceVariants.find((known) => known.name === name);
  if (variant === undefined || loaded.has(name)) return;
  let kernel = loading.get(name);
  if (kernel === undefined) {
    kernel = import(uvmVariantCopy(variant)).then((module: { uvmKernel: UvmKernel }) => module.uvmKernel);
    loading.set(name, kernel);
  }
  loaded.set(name, await kernel);
}

/** The kernel and seed bug an instance with `variant` runs. Throws for an unknown variant and for one not prepared. */
export function kernelFor(variant: string | null): { readonly kernel: UvmKernel; readonly seedBug: SeedBugName | null } {
  if (variant === null) return { kernel: uvmKernel, seedBug: null };
  if (isSeedBugName(variant)) return { kernel: uvmKernel, seedBug: variant };
  const kernel = loaded.get(variant);
  if (kernel !== undefined) return { kernel, seedBug: null };
  if (uvmSourceVariants.some((known) => known.name === variant)) {
    throw new Error(`uvm: variant ${variant} is not loaded; \`await system.prepare("${variant}")\` before create()`);
  }
  throw new Error(`unknown variant ${variant}`);
}
