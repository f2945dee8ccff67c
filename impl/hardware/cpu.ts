//! The CPU's memory access: what a user load or store does in hardware.
//!
//! An access goes through the current pmap. A missing translation, or one whose protection
//! does not allow the access, traps (the kernel then runs the fault handler and the access is
//! retried). A successful access sets the frame's referenced bit, and a store its modified bit.

import { PROT_READ, PROT_WRITE, type ProtectionBits } from "../../vocabulary/protection.ts";
import type { Vpn } from "../../vocabulary/units.ts";
import type { PhysicalMemory } from "./physical-memory.ts";
import { allows, type Pmap } from "./mmu.ts";

export type AccessResult = { readonly kind: "trap"; readonly access: ProtectionBits } | { readonly kind: "done"; readonly value: number };

const TRAP_READ: AccessResult = { kind: "trap", access: PROT_READ };
const TRAP_WRITE: AccessResult = { kind: "trap", access: PROT_WRITE };

export function load(memory: PhysicalMemory, pmap: Pmap, va: Vpn, word: number): AccessResult {
  const translation = pmap.translation(va);
  if (translation === undefined || !allows(translation.prot, PROT_READ)) return TRAP_READ;
  pmap.mmu.noteAccess(translation.frame, PROT_READ);
  return { kind: "done", value: memory.read(translation.frame, word) };
}

export function store(memory: PhysicalMemory, pmap: Pmap, va: Vpn, word: number, value: number): AccessResult {
  const translation = pmap.translation(va);
  if (translation === undefined || !allows(translation.prot, PROT_WRITE)) return TRAP_WRITE;
  pmap.mmu.noteAccess(translation.frame, PROT_WRITE);
  memory.write(translation.frame, word, value);
  return { kind: "done", value };
}
