//! Loading a system's canaries and mutants: each one's copy of impl/ (variants/materialize.ts)
//! is materialised and imported once per process or worker thread, by the system's
//! `prepare`; its `create` then takes what the copy's entry module exports synchronously.

import { fileURLToPath } from "node:url";
import { materializeVariant } from "../variants/materialize.ts";
import type { SourceVariant } from "../variants/source-edit.ts";

/** The repository: the folder the edits' file names are relative to. */
const root = fileURLToPath(new URL("..", import.meta.url));

export interface VariantCopies<Implementation> {
  /** Materialises `variant`'s copy of impl/ (if it is not in the cache yet); returns the path of its entry module. */
  copy(variant: SourceVariant): string;
  /** Loads the copy `name` runs on (a no-op for a name that is not a source variant). */
  prepare(name: string): Promise<void>;
  /** The implementation source variant `name` runs on. Throws for a variant not prepared and for a name that is no source variant. */
  implementation(name: string): Implementation;
}

/**
 * The copies of `variants` of `system`, each loaded from `entry` (a module of impl/) and
 * taken from its export `exported`.
 */
export function variantCopies<Implementation>(system: string, variants: readonly SourceVariant[], entry: string, exported: string): VariantCopies<Implementation> {
  const loading = new Map<string, Promise<Implementation>>();
  const loaded = new Map<string, Implementation>();
  const copy = (variant: SourceVariant) => materializeVariant({ root, sourceFolder: "impl", entry, variant });
  return {
    copy,
    async prepare(name) {
      const variant = variants.find((known) => known.name === name);
      if (variant === undefined || loaded.has(name)) return;
      let implementation = loading.get(name);
      if (implementation === undefined) {
        implementation = import(copy(variant)).then((module: Record<string, Implementation>) => module[exported] as Implementation);
        loading.set(name, implementation);
      }
      loaded.set(name, await implementation);
    },
    implementation(name) {
      const implementation = loaded.get(name);
      if (implementation !== undefined) return implementation;
      if (variants.some((known) => known.name === name)) {
        throw new Error(`${system}: variant ${name} is not loaded; \`await system.prepare("${name}")\` before create()`);
      }
      throw new Error(`unknown variant ${name}`);
    },
  };
}
