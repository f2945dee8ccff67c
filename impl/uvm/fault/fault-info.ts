//! uvm_faultinfo and the lookup/relock/unlock helpers of uvm_fault_i.h (catalog A.3, A.10).
//!
//! A fault (or a loan) looks its address up once, remembers the map version it saw, and may
//! drop every lock to sleep. `faultRelock` then succeeds only if the map version is unchanged:
//! that is UVM's one re-validation of map state after a sleep ("alternative 2", seed
//! F:114-140).

import { assert } from "../../../vocabulary/assert.ts";
import type { Vpn } from "../../../vocabulary/units.ts";
import type { Amap } from "../amap.ts";
import type { Anon } from "../anon.ts";
import { mutexExit } from "../lock.ts";
import { mapLockForReading, mapLockForWriting, mapLookupEntry, mapRelease, type VmMap } from "../map.ts";
import type { MapEntry } from "../map-entry.ts";
import type { UvmObject } from "../object.ts";
import type { Uvm } from "../uvm.ts";

export class FaultInfo {
  /** OUT: the entry found by the last successful lookup. */
  entry: MapEntry | null = null;
  /** OUT: pages from origVa to the end of the request, clipped to the entry. */
  size = 0;
  /** OUT: the map version (timestamp) at the last lookup. */
  mapVersion = 0;

  constructor(
    /** IN: the map to look in. */
    readonly map: VmMap,
    /** IN: the (first) faulting page. */
    public origVa: Vpn,
    /** IN: pages of interest (1 for a fault, the remaining length for a loan). */
    public origSize: number,
  ) {}

  /** The entry of the last lookup; asserts there is one. */
  get currentEntry(): MapEntry {
    assert(this.entry !== null, "uvm_faultinfo: no entry looked up");
    return this.entry;
  }
}

/** uvmfault_lookup: locks the map (read, or write) and finds the entry of `origVa`. False (unlocked) if none. */
export function faultLookup(uvm: Uvm, info: FaultInfo, write: boolean): boolean {
  const map = info.map;
  if (info.origVa < map.minVa || info.origVa >= map.maxVa) return false;
  if (write) mapLockForWriting(uvm, map);
  else mapLockForReading(uvm, map);
  const entry = mapLookupEntry(map, info.origVa);
  if (entry === null) {
    mapRelease(uvm, map);
    return false;
  }
  info.entry = entry;
  info.size = Math.min(info.origSize, entry.end - info.origVa);
  info.mapVersion = map.timestamp;
  return true;
}

/** uvmfault_unlockmaps */
export function faultUnlockMaps(uvm: Uvm, info: FaultInfo | null): void {
  if (info !== null) mapRelease(uvm, info.map);
}

/** uvmfault_relock: read-locks the map again; false (unlocked) if the map changed meanwhile. */
export function faultRelock(uvm: Uvm, info: FaultInfo | null): boolean {
  if (info === null) return true;
  mapLockForReading(uvm, info.map);
  if (info.map.timestamp !== info.mapVersion) {
    mapRelease(uvm, info.map);
    return false;
  }
  return true;
}

/** uvmfault_unlockall: anon (loans only), object, amap, maps, in that order; null arguments are skipped. */
export function faultUnlockAll(uvm: Uvm, info: FaultInfo | null, amap: Amap | null, object: UvmObject | null, anon: Anon | null = null): void {
  if (anon !== null && anon.lock !== null) mutexExit(uvm, anon.lock);
  if (object !== null) mutexExit(uvm, object.lock);
  if (amap !== null) mutexExit(uvm, amap.lock);
  faultUnlockMaps(uvm, info);
}
