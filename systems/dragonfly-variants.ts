//! The DragonFly system's variants and where each one's implementation comes from:
//!
//!   seed-bug  the faithful impl/dragonfly/, with `vm.seedBehaviour(name)` on (impl/dragonfly/seed-bugs.ts)
//!   canary    a copy of impl/ with the canary's edits (variants/dragonfly-canaries.ts)
//!   mutant    a copy of impl/ with the mutant's edits (variants/dragonfly-mutants.ts)
//!
//! A copy is materialised and imported by `prepareDragonflyVariant` (systems/variant-copies.ts);
//! `create` then builds instances from it synchronously.

import { type DragonflyImplementation, dragonflyImplementation } from "../impl/dragonfly/dragonfly-machine.ts";
import { type DragonflySeedBugName, dragonflySeedBugCatalog, isDragonflySeedBug } from "../impl/dragonfly/seed-bugs.ts";
import { dragonflyCanaries } from "../variants/dragonfly-canaries.ts";
import { dragonflyMutants } from "../variants/dragonfly-mutants.ts";
import type { SourceVariant } from "../variants/source-edit.ts";
import type { VariantInfo } from "../vocabulary/system-under-test.ts";
import { variantCopies } from "./variant-copies.ts";

/** The canaries and mutants: variants defined by source edits of impl/dragonfly/. */
export const dragonflySourceVariants: readonly SourceVariant[] = [...dragonflyCanaries, ...dragonflyMutants];

/** Every variant, as `uvmcheck variants --system dragonfly` lists them: canaries, seed bugs, mutants. */
export const dragonflyVariants: readonly VariantInfo[] = [...dragonflyCanaries, ...dragonflySeedBugCatalog, ...dragonflyMutants].map(
  ({ name, kind, description, corrupts }) => ({ name, kind, description, corrupts }),
);

const copies = variantCopies<DragonflyImplementation>("dragonfly", dragonflySourceVariants, "impl/dragonfly/dragonfly-machine.ts", "dragonflyImplementation");

/** Materialises `variant`'s copy of impl/ (if it is not in the cache yet); returns the path of its entry module. */
export const dragonflyVariantCopy = copies.copy;

/** Loads the implementation `name` runs on (a no-op for the faithful system and for seed bugs). */
export const prepareDragonflyVariant = copies.prepare;

/** The implementation and seed bug an instance with `variant` runs. Throws for an unknown variant and for one not prepared. */
export function implementationFor(variant: string | null): {
  readonly implementation: DragonflyImplementation;
  readonly seedBug: DragonflySeedBugName | null;
} {
  if (variant === null) return { implementation: dragonflyImplementation, seedBug: null };
  if (isDragonflySeedBug(variant)) return { implementation: dragonflyImplementation, seedBug: variant };
  return { implementation: copies.implementation(variant), seedBug: null };
}
