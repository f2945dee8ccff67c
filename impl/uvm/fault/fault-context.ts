//! uvm_faultctx (seed F:687-699): the state of one fault, kept across every
//! ERESTART iteration: `narrow` stays set after the first pass and `anonSpare` carries over.
//! The seed also keeps `accessType` as a wire fault rewrote it (F:923) and `wireMapping` once
//! an entry was seen wired (F:919-920); bug F13: an mprotect that shrinks the protection
//! while the fault sleeps then fails its refault with EACCES although the caller's access is
//! still allowed, and a fault on an entry that was wired meanwhile and is no more still enters
//! wired mappings. Here each pass starts again from the caller's access and flags
//! (`callerAccess`, `callerWire`); variant seed-F13 restores the seed's sticky fields.

import type { Advice, ProtectionBits } from "../../../vocabulary/protection.ts";
import type { Anon } from "../anon.ts";

/** uvm_fault_wire's flags to uvm_fault_internal (F:684-685). */
export const FAULT_WIRE = 1 << 0;
export const FAULT_MAXPROT = 1 << 1;

/** UVM_MAXRANGE (F:165): the widest range of interest. */
export const MAX_RANGE = 16;

/** uvmadvice[] (F:159-163): neighbours looked at behind and ahead of the faulting page. */
export const adviceRange: Readonly<Record<Advice, { readonly back: number; readonly forward: number }>> = {
  normal: { back: 3, forward: 4 },
  random: { back: 0, forward: 0 },
  sequential: { back: 8, forward: 7 },
};

export class FaultContext {
  /** access_type: the access being resolved; a wire fault replaces it with the entry's protection. */
  accessType: ProtectionBits;
  /** enter_prot: the protection to map with, reset from the entry each pass, then reduced. */
  enterProt: ProtectionBits = 0;
  /** startva / npages / centeridx: the range of interest. */
  startVa = 0;
  pages = 1;
  centerIndex = 0;
  /** anon_spare: an anon allocated on an earlier pass, waiting to be used. */
  anonSpare: Anon | null = null;
  /** wire_mapping: enter mappings wired (a wire fault, or the entry is wired). */
  wireMapping: boolean;
  /** narrow: look at no neighbours (wire faults, and every refault). */
  narrow: boolean;
  /** wire_paging: wire the pages too (wire faults only). */
  readonly wirePaging: boolean;
  /** cow_now: resolve copy-on-write now. */
  cowNow = false;
  /** promote: the data moves up into a new anon. */
  promote = false;

  /** The access and the wire flag the caller asked for, which every pass starts from. */
  readonly callerAccess: ProtectionBits;
  readonly callerWire: boolean;

  constructor(accessType: ProtectionBits, faultFlags: number) {
    const wire = (faultFlags & FAULT_WIRE) !== 0;
    this.accessType = accessType;
    this.callerAccess = accessType;
    this.callerWire = wire;
    this.narrow = wire;
    this.wireMapping = wire;
    this.wirePaging = wire;
  }
}
