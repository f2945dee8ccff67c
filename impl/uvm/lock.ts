//! Locks with real ownership: "the amap is locked here" is an assertion, not a comment.
//!
//! A `Mutex` records the thread that holds it; a `MapLock` (the map's rwlock) records its
//! readers and its writer. Entering a held mutex is an error in this simulator unless the
//! scheduler (the concurrency issue) arranges to wait; entering one you already hold is the
//! self-deadlock of catalog F19. Locks carry the rank of the global order of seed F:85,
//!
//!   MAPS → AMAP → UOBJ → ANON → PAGE QUEUES,
//!
//! so the lock-order checker can compare acquisitions. Lock objects shared between amaps
//! (amap_copy shares the source amap's lock, rmind era) are reference-counted like
//! mutex_obj_hold / mutex_obj_free.

import { assert } from "../../vocabulary/assert.ts";
import type { ThreadId } from "../../vocabulary/units.ts";

export type LockRank = "maps" | "amap" | "uobj" | "anon" | "pageq";
export const lockRankOrder: Readonly<Record<LockRank, number>> = { maps: 0, amap: 1, uobj: 2, anon: 3, pageq: 4 };

/** Who is running: the thread every lock operation is attributed to. */
export interface LockContext {
  readonly thread: ThreadId;
  readonly held: Set<Mutex | MapLock>;
}

let nextLockId = 1;

export class Mutex {
  readonly id = nextLockId++;
  /** The thread holding the mutex, or null. [changed only by mutexEnter/mutexExit] */
  holder: ThreadId | null = null;
  /** mutex_obj_hold count: how many structures point at this lock object. */
  references = 1;

  constructor(
    readonly name: string,
    readonly rank: LockRank,
  ) {}
}

export function mutexEnter(context: LockContext, lock: Mutex): void {
  assert(lock.holder !== context.thread, `mutex_enter: ${lock.name} already held by this thread (recursive acquisition)`);
  assert(lock.holder === null, `mutex_enter: ${lock.name} held by thread ${lock.holder}`);
  lock.holder = context.thread;
  context.held.add(lock);
}

export function mutexTryEnter(context: LockContext, lock: Mutex): boolean {
  if (lock.holder !== null) return false;
  mutexEnter(context, lock);
  return true;
}

export function mutexExit(context: LockContext, lock: Mutex): void {
  assert(lock.holder === context.thread, `mutex_exit: ${lock.name} not held by this thread`);
  lock.holder = null;
  context.held.delete(lock);
}

export function mutexOwned(context: LockContext, lock: Mutex): boolean {
  return lock.holder === context.thread;
}

/** mutex_obj_hold */
export function mutexHold(lock: Mutex): Mutex {
  assert(lock.references > 0, `mutex_obj_hold: ${lock.name} already freed`);
  lock.references++;
  return lock;
}

/** mutex_obj_free: drops one reference; the lock must not be held when the last goes. */
export function mutexRelease(lock: Mutex): void {
  assert(lock.references > 0, `mutex_obj_free: ${lock.name} already freed`);
  lock.references--;
  assert(lock.references > 0 || lock.holder === null, `mutex_obj_free: ${lock.name} freed while held`);
}

export class MapLock {
  readonly id = nextLockId++;
  readonly rank: LockRank = "maps";
  /** Read holds per thread. [changed only by mapLock*] */
  readonly readers = new Map<ThreadId, number>();
  /** The writing thread, or null. */
  writer: ThreadId | null = null;

  constructor(readonly name: string) {}
}

export function mapLockRead(context: LockContext, lock: MapLock): void {
  assert(lock.writer === null, `vm_map_lock_read: ${lock.name} write-locked by thread ${lock.writer}`);
  lock.readers.set(context.thread, (lock.readers.get(context.thread) ?? 0) + 1);
  context.held.add(lock);
}

export function mapLockWrite(context: LockContext, lock: MapLock): void {
  assert(lock.writer === null, `vm_map_lock: ${lock.name} write-locked by thread ${lock.writer}`);
  assert(lock.readers.size === 0, `vm_map_lock: ${lock.name} read-locked`);
  lock.writer = context.thread;
  context.held.add(lock);
}

export function mapUnlock(context: LockContext, lock: MapLock): void {
  if (lock.writer === context.thread) {
    lock.writer = null;
  } else {
    const count = lock.readers.get(context.thread) ?? 0;
    assert(count > 0, `vm_map_unlock: ${lock.name} not locked by this thread`);
    if (count === 1) lock.readers.delete(context.thread);
    else lock.readers.set(context.thread, count - 1);
    if (count > 1) return;
  }
  context.held.delete(lock);
}

export function mapLocked(context: LockContext, lock: MapLock): boolean {
  return lock.writer === context.thread || lock.readers.has(context.thread);
}

export function lockName(lock: Mutex | MapLock): string {
  return lock.name;
}
