//! uvm_fault_wire / uvm_fault_unwire (seed F:2265-2389).
//!
//! Wiring faults each page of the range in with UVM_FAULT_WIRE (narrow, full protection,
//! copy-on-write resolved now when `maxprot` allows writing) and wires the page; on the
//! first failure the pages wired so far are unwired again. Unwiring drops one wiring of the
//! page mapped at each address (or, where mprotect(PROT_NONE) removed the translation, of the
//! wired page the entry's layers hold: bug F17); the pmap's wired bit is cleared only if
//! the entry is no longer wired (the caller lowers `wiredCount` first).

import { assert } from "../../../vocabulary/assert.ts";
import type { ProtectionBits } from "../../../vocabulary/protection.ts";
import { vpn } from "../../../vocabulary/units.ts";
import type { Status } from "../errors.ts";
import { mutexEnter, mutexExit } from "../lock.ts";
import { mapLockForReading, mapLookupEntry, mapRelease, type VmMap } from "../map.ts";
import type { MapEntry } from "../map-entry.ts";
import { lockPageQueues, pageUnwire, unlockPageQueues } from "../page-allocator.ts";
import type { Page } from "../page.ts";
import type { Sleepy } from "../sleep.ts";
import type { Uvm } from "../uvm.ts";
import { uvmFault } from "./fault.ts";
import { FAULT_MAXPROT, FAULT_WIRE } from "./fault-context.ts";

/** uvm_fault_wire: wires `[start, end)`. Requires: nothing locked (the map may be busied by the caller). */
export function* faultWire(uvm: Uvm, map: VmMap, start: number, end: number, access: ProtectionBits, maxprot: boolean): Sleepy<Status> {
  if (start > end) return "EFAULT"; // F:2282-2284
  for (let va = start; va < end; va++) {
    uvm.coverage.hit("fault.wire");
    const error = yield* uvmFault(uvm, map, vpn(va), access, FAULT_WIRE | (maxprot ? FAULT_MAXPROT : 0));
    if (error !== 0) {
      if (va !== start) yield* faultUnwire(uvm, map, start, va);
      return error;
    }
  }
  return 0;
}

/** uvm_fault_unwire: read-locks the map around faultUnwireLocked. */
export function* faultUnwire(uvm: Uvm, map: VmMap, start: number, end: number): Sleepy<void> {
  yield* mapLockForReading(uvm, map, "uvm_fault_unwire");
  faultUnwireLocked(uvm, map, start, end);
  mapRelease(uvm, map);
}

/** uvm_fault_unwire_locked (F:2317-2389). Requires: the map locked. */
export function faultUnwireLocked(uvm: Uvm, map: VmMap, start: number, end: number): void {
  assert(start >= map.minVa, () => `uvm_fault_unwire: [${start},${end}) starts below the map`); // F:2339
  assert(end <= map.maxVa, () => `uvm_fault_unwire: [${start},${end}) ends above the map`); // F:2339
  let entry = mapLookupEntry(map, start);
  assert(entry !== null, () => `uvm_fault_unwire_locked: address ${start} not in map`); // F:2340-2341
  let locked: MapEntry | null = null;
  for (let va = start; va < end; va++) { // F:2344
    const frame = map.pmap.extract(vpn(va));
    if (frame === null && uvm.seedBehaviour("seed-F17")) continue;
    while (va >= entry!.end) {
      const next: MapEntry | undefined = map.entries[map.entries.indexOf(entry!) + 1];
      assert(next !== undefined, "uvm_fault_unwire_locked: range runs past the last entry"); // F:2354-2355
      assert(next.start <= entry!.end, "uvm_fault_unwire_locked: entries not contiguous"); // F:2354-2355
      entry = next;
    }
    if (entry !== locked) {
      if (locked !== null) {
        unlockPageQueues(uvm);
        unlockEntry(uvm, locked);
      }
      lockEntry(uvm, entry!);
      lockPageQueues(uvm);
      locked = entry;
    }
    const page = frame !== null ? uvm.pageOfFrame(frame) : layerPage(entry!, va);
    if (page === null) continue;
    uvm.coverage.hit(frame === null ? "fault.unwireUntranslated" : "fault.unwire");
    if (!entry!.wired && frame !== null) map.pmap.unwire(vpn(va)); // F:2377-2378
    pageUnwire(uvm, page);
  }
  if (locked !== null) {
    unlockPageQueues(uvm);
    unlockEntry(uvm, locked);
  }
}

/**
 * The page the entry's layers hold at `va` (the anon's page, else the object's), for a wired
 * page whose translation is gone: mprotect(PROT_NONE) removes wired mappings too, and the seed
 * then skipped the page and leaked its wiring forever (bug F17; variant seed-F17).
 */
function layerPage(entry: MapEntry, va: number): Page | null {
  const index = va - entry.start;
  const anon = entry.amap?.slots[entry.amapOffset + index] ?? null;
  if (anon !== null) return anon.page !== null && anon.page.wireCount > 0 ? anon.page : null;
  const page = entry.object?.pages.get(entry.offset + index) ?? null;
  return page !== null && page.wireCount > 0 ? page : null;
}

/** uvm_map_lock_entry: the entry's amap, then its object. */
function lockEntry(uvm: Uvm, entry: MapEntry): void {
  if (entry.amap !== null) mutexEnter(uvm, entry.amap.lock);
  if (entry.object !== null) mutexEnter(uvm, entry.object.lock);
}

function unlockEntry(uvm: Uvm, entry: MapEntry): void {
  if (entry.object !== null) mutexExit(uvm, entry.object.lock);
  if (entry.amap !== null) mutexExit(uvm, entry.amap.lock);
}
