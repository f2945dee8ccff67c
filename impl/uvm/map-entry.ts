//! vm_map_entry: one run of virtual pages with uniform attributes (uvm_map.h).
//!
//! An entry maps `[start, end)` through two layers: an optional amap (the anonymous upper
//! layer, slot = amapOffset + (va - start)) over an optional object (the lower layer, page =
//! offset + (va - start)). Private mappings are `copyOnWrite`: object pages are never
//! mapped writable through them, writes promote into anons. `needsCopy` says the amap may
//! still be shared with another entry and must be copied before a write.
//!
//! The fault handler never writes an entry; map operations (map.ts, map-operations.ts,
//! fork.ts) do, under the map's write lock.

import type { Advice, Inheritance, ProtectionBits } from "../../vocabulary/protection.ts";
import type { Vpn } from "../../vocabulary/units.ts";
import type { Amap } from "./amap.ts";
import type { UvmObject } from "./object.ts";

export class MapEntry {
  constructor(
    /** First page. [map write lock] */
    public start: Vpn,
    /** One past the last page. [map write lock] */
    public end: Vpn,
    /** protection: the current protection, upper bound of every mapping. [map write lock] */
    public protection: ProtectionBits,
    /** max_protection: what mprotect may raise to; checked by MAXPROT (wire) faults. */
    public maxProtection: ProtectionBits,
    public inheritance: Inheritance,
    public advice: Advice,
    /** UVM_ET_COPYONWRITE: a private mapping. */
    public copyOnWrite: boolean,
    /** UVM_ET_NEEDSCOPY: the amap must be copied before a write (or any fault without object). */
    public needsCopy: boolean,
    /** aref.ar_amap */
    public amap: Amap | null,
    /** aref.ar_pageoff: the amap slot of `start`. */
    public amapOffset: number,
    /** object.uvm_obj */
    public object: UvmObject | null,
    /** offset: the object page of `start`. */
    public offset: number,
  ) {}

  /** wired_count: mlock wirings (user wirings do not stack; munlock sets it to 0). */
  wiredCount = 0;

  /** A new entry with the same fields (not the wiring, which belongs to one entry). */
  copy(): MapEntry {
    return new MapEntry(
      this.start,
      this.end,
      this.protection,
      this.maxProtection,
      this.inheritance,
      this.advice,
      this.copyOnWrite,
      this.needsCopy,
      this.amap,
      this.amapOffset,
      this.object,
      this.offset,
    );
  }

  get pages(): number {
    return this.end - this.start;
  }

  get wired(): boolean {
    return this.wiredCount > 0;
  }

  contains(va: number): boolean {
    return this.start <= va && va < this.end;
  }
}
