//! The UVM system's variants and where each one's kernel comes from:
//!
//!   seed-bug  the faithful impl/, with `uvm.seedBehaviour(name)` on (impl/uvm/seed-bugs.ts)
//!   canary    a copy of impl/ with the canary's edits (variants/uvm-canaries.ts)
//!   mutant    a copy of impl/ with the mutant's edits (variants/uvm-mutants.ts)
//!
//! A copy is materialised (variants/materialize.ts) and imported by `prepareUvmVariant`,
//! once per process or worker thread (systems/variant-copies.ts); `create` then builds
//! instances from it synchronously.

import { type UvmKernel, uvmKernel } from "../impl/uvm-system.ts";
import { isSeedBugName, type SeedBugName, seedBugCatalog } from "../impl/uvm/seed-bugs.ts";
import type { SourceVariant } from "../variants/source-edit.ts";
import { uvmCanaries } from "../variants/uvm-canaries.ts";
import { uvmMutants } from "../variants/uvm-mutants.ts";
import type { VariantInfo } from "../vocabulary/system-under-test.ts";
import { variantCopies } from "./variant-copies.ts";

/** The canaries and mutants: variants defined by source edits of impl/. */
export const uvmSourceVariants: readonly SourceVariant[] = [...uvmCanaries, ...uvmMutants];

/** Every variant, as `uvmcheck variants` lists them: canaries, mutants, seed bugs. */
export const uvmVariants: readonly VariantInfo[] = [...uvmSourceVariants, ...seedBugCatalog].map(({ name, kind, description, corrupts }) => ({
  name,
  kind,
  description,
  corrupts,
}));

const copies = variantCopies<UvmKernel>("uvm", uvmSourceVariants, "impl/uvm-system.ts", "uvmKernel");

/** Materialises `variant`'s copy of impl/ (if it is not in the cache yet); returns the path of its entry module. */
export const uvmVariantCopy = copies.copy;

/** Loads the kernel `name` runs on (a no-op for the faithful system and for seed bugs). Requires: `name` is a variant of uvm. */
export const prepareUvmVariant = copies.prepare;

/** The kernel and seed bug an instance with `variant` runs. Throws for an unknown variant and for one not prepared. */
export function kernelFor(variant: string | null): { readonly kernel: UvmKernel; readonly seedBug: SeedBugName | null } {
  if (variant === null) return { kernel: uvmKernel, seedBug: null };
  if (isSeedBugName(variant)) return { kernel: uvmKernel, seedBug: variant };
  return { kernel: copies.implementation(variant), seedBug: null };
}
