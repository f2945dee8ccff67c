//! Receiving a loan to anons (the zero-copy receive of issue 3): the anons of a TOANON loan
//! are put into a new private, copy-on-write region of a process, each with one more
//! reference. Nothing is copied; the first write to a shared anon copies it (case 1B), and
//! a write to a borrowed object page or the zero page breaks the loan first.
//!
//! NetBSD's in-tree code never inserts TOANON loans into an amap, so this path is ours. It
//! follows seed F's lock model (docs/seeds.md): an anon in an amap is locked by the amap's
//! lock, and amaps that share an anon share one lock object. Consecutive anons that are
//! already in amaps under one lock go into one entry whose amap shares that lock; an anon in
//! no amap (its own lock) joins the entry's amap and takes its lock. An anon under another
//! amap lock starts a new entry.

import { PROT_READ, PROT_WRITE } from "../../../vocabulary/protection.ts";
import { type Vpn, vpn } from "../../../vocabulary/units.ts";
import { Amap } from "../amap.ts";
import { type Anon, anonClearLock, anonSetLock } from "../anon.ts";
import { Mutex, mutexHold } from "../lock.ts";
import { mapFindSpace, mapInsertEntry, mapLockForWriting, mapRelease, type VmMap } from "../map.ts";
import { MapEntry } from "../map-entry.ts";
import type { Sleepy } from "../sleep.ts";
import type { Uvm } from "../uvm.ts";

/** Maps `anons` at the lowest free range of `map`. Returns its first page, or null (no room). */
export function* loanReceive(uvm: Uvm, map: VmMap, anons: readonly Anon[]): Sleepy<Vpn | null> {
  yield* mapLockForWriting(uvm, map, "loan receive");
  const start = mapFindSpace(map, anons.length);
  if (start === null) {
    mapRelease(uvm, map);
    return null;
  }
  for (const group of lockGroups(anons)) {
    const amap = new Amap(uvm.nextAmapId++, group.anons.length, group.lock === null ? new Mutex(`amap ${uvm.nextAmapId - 1}`, "amap") : mutexHold(group.lock));
    uvm.liveAmaps.add(amap);
    group.anons.forEach((anon, index) => {
      if (anon.lock !== amap.lock) {
        anonClearLock(anon);
        anonSetLock(anon, amap.lock);
      }
      anon.references++;
      amap.slots[index] = anon;
    });
    const first = start + group.offset;
    const entry = new MapEntry(vpn(first), vpn(first + group.anons.length), PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE, "copy", "normal", true, false, amap, 0, null, 0);
    mapInsertEntry(map, entry);
  }
  mapRelease(uvm, map);
  uvm.coverage.hit("loan.receive");
  return vpn(start);
}

interface LockGroup {
  readonly offset: number;
  readonly anons: Anon[];
  /** The amap lock the group's anons already share, or null if none is in an amap yet. */
  lock: Mutex | null;
}

/** Splits the anons into runs that can share one amap lock. */
function lockGroups(anons: readonly Anon[]): LockGroup[] {
  const groups: LockGroup[] = [];
  anons.forEach((anon, index) => {
    const amapLock = anon.lock !== null && anon.lock.rank === "amap" ? anon.lock : null;
    const current = groups.at(-1);
    if (current !== undefined && (amapLock === null || current.lock === null || current.lock === amapLock)) {
      current.anons.push(anon);
      current.lock ??= amapLock;
      return;
    }
    groups.push({ offset: index, anons: [anon], lock: amapLock });
  });
  return groups;
}
