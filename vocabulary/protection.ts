//! Protections, inheritance and advice: the attributes a mapping carries.
//!
//! The vocabulary spells protections as strings (`"r"`, `"rw"`) so counterexample files
//! stay readable; `protectionBits` converts to the read=1 / write=2 bit set that the
//! implementation and the model compute with. There is no execute permission in the
//! simulated machine.

import { assertNever } from "./assert.ts";

export type Protection = "none" | "r" | "w" | "rw";
export const protections: readonly Protection[] = ["none", "r", "w", "rw"];

export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export type ProtectionBits = number;

export function protectionBits(protection: Protection): ProtectionBits {
  switch (protection) {
    case "none":
      return PROT_NONE;
    case "r":
      return PROT_READ;
    case "w":
      return PROT_WRITE;
    case "rw":
      return PROT_READ | PROT_WRITE;
    default:
      return assertNever(protection, "protection");
  }
}

export function protectionFromBits(bits: ProtectionBits): Protection {
  const names: readonly Protection[] = ["none", "r", "w", "rw"];
  const name = names[bits & (PROT_READ | PROT_WRITE)];
  if (name === undefined) throw new RangeError(`protection bits ${bits}`);
  return name;
}

/** `inner ⊆ outer` as protection sets. */
export function protectionIncludes(outer: Protection, inner: Protection): boolean {
  const outerBits = protectionBits(outer);
  return (outerBits & protectionBits(inner)) === protectionBits(inner);
}

/** minherit(2) values: what a child gets at fork. */
export type Inheritance = "copy" | "share" | "none";
export const inheritances: readonly Inheritance[] = ["copy", "share", "none"];

/** madvise(2) values the fault handler understands (uvmadvice[], seed F:159-163). */
export type Advice = "normal" | "random" | "sequential";
export const advices: readonly Advice[] = ["normal", "random", "sequential"];
