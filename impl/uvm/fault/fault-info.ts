//! uvm_faultinfo and the lookup/relock/unlock helpers of uvm_fault_i.h.
//!
//! A fault (or a loan) looks its address up once, remembers the map version it saw, and may
//! drop every lock to sleep. `faultRelock` then succeeds only if the map version is unchanged:
//! that is UVM's one re-validation of map state after a sleep ("alternative 2", seed
//! F:114-140).

import { assert } from "../../../vocabulary/assert.ts";
import type { Vpn } from "../../../vocabulary/units.ts";
import type { FrameNumber } from "../../hardware/units.ts";
import type { Amap } from "../amap.ts";
import type { Anon } from "../anon.ts";
import { mutexExit } from "../lock.ts";
import { mapLockForReading, mapLockForWriting, mapLookupEntry, mapRelease, type VmMap } from "../map.ts";
import type { MapEntry } from "../map-entry.ts";
import type { UvmObject } from "../object.ts";
import type { Sleepy } from "../sleep.ts";
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
export function* faultLookup(uvm: Uvm, info: FaultInfo, write: boolean): Sleepy<boolean> {
  const map = info.map;
  if (info.origVa < map.minVa || info.origVa >= map.maxVa) return false;
  if (write) yield* mapLockForWriting(uvm, map, "uvmfault_lookup (write)");
  else yield* mapLockForReading(uvm, map, "uvmfault_lookup");
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
export function* faultRelock(uvm: Uvm, info: FaultInfo | null): Sleepy<boolean> {
  if (info === null) return true;
  yield* mapLockForReading(uvm, info.map, "uvmfault_relock");
  if (info.map.timestamp !== info.mapVersion) {
    uvm.coverage.hit("restart.relockFailed");
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

/**
 * After a failed pmap_enter, before the fault sleeps (U11): removes the translation at the
 * faulting address if it maps some other page than `frame`. The seed leaves it (F:1471-1489,
 * F:2155-2195), so after a promotion the old translation (the object page, or the shared
 * anon's page) stays while the amap slot already holds the new anon: another thread of the
 * process reads stale data through it (G11; a finding of uvmcheck, variant
 * seed-stale-translation). Removing it is allowed: a pmap may drop any unwired mapping at
 * any time, and a wired one (a fault on a wired entry enters wired mappings) is the one this
 * fault is replacing: it enters the new page, wired, when it starts over.
 */
export function dropStaleTranslation(uvm: Uvm, info: FaultInfo, frame: FrameNumber): void {
  if (uvm.seedBehaviour("seed-stale-translation")) return;
  const translation = info.map.pmap.translation(info.origVa);
  if (translation !== undefined && translation.frame !== frame) info.map.pmap.remove(info.origVa, info.origVa + 1);
}
