//! uvm_faultctx (seed F:687-699, catalog A.4): the state of one fault, kept across every
//! ERESTART iteration. It is deliberately not reset on restart: `narrow` stays set after the
//! first pass, `accessType` keeps the value a wire fault gave it (F:923), `wireMapping` stays
//! set once an entry was seen wired, and `anonSpare` carries over.

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

  constructor(accessType: ProtectionBits, faultFlags: number) {
    const wire = (faultFlags & FAULT_WIRE) !== 0;
    this.accessType = accessType;
    this.narrow = wire;
    this.wireMapping = wire;
    this.wirePaging = wire;
  }
}
