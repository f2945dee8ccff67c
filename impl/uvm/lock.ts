//! Locks with real ownership: "the amap is locked here" is an assertion, not a comment.
//!
//! A `Mutex` records the thread that holds it; a `MapLock` (the map's rwlock) records its
//! readers, its writer and the thread that busied it (vm_map_busy). Threads switch only at
//! sleep points, where the seed has dropped its mutexes, so a blocking mutex_enter never
//! meets a mutex another thread holds: that would be a lock held across a sleep, which the
//! scheduler reports. Map locks may be held across a sleep where the seed says so; waiting
//! for one is a sleep point of its own (map.ts). Entering a mutex you already hold is the
//! self-deadlock of bug F19.
//!
//! The lock-order checker: locks carry the rank of the global order of seed F:85,
//!
//!   MAPS → AMAP → UOBJ → ANON → PAGE QUEUES,
//!
//! and a blocking acquisition of a lock ranked before one the thread holds is a
//! `LockDisciplineFailure` naming both acquisition sites (try-locks are exempt: they cannot
//! deadlock, and the seed uses them exactly to go against the order). Equal ranks (two amaps,
//! two maps) are not ordered. Lock objects shared between amaps (amap_copy shares the source
//! amap's lock, rmind era) are reference-counted like mutex_obj_hold / mutex_obj_free.

import { assert, LockDisciplineFailure } from "../../vocabulary/assert.ts";
import type { ThreadId } from "../../vocabulary/units.ts";

export type LockRank = "maps" | "amap" | "uobj" | "anon" | "pageq";
export const lockRankOrder: Readonly<Record<LockRank, number>> = { maps: 0, amap: 1, uobj: 2, anon: 3, pageq: 4 };

/** Who is running: the thread every lock operation is attributed to. */
export interface LockContext {
  readonly thread: ThreadId;
  readonly held: Set<Mutex | MapLock>;
  /** Injected contention: whether a try-lock of a free lock fails anyway (another CPU holds it for a moment). */
  contended?(): boolean;
  /**
   * Whether acquisitions capture their call site (a stack trace: most of a lock's cost).
   * Runs are deterministic, so a campaign leaves it off and a replay of a failure turns it
   * on to name the sites in lock-order and sleep-with-lock messages.
   */
  readonly recordLockSites?: boolean;
}

/** Where a lock was acquired: a captured call stack, formatted only when a report needs it. */
export interface AcquisitionSite {
  readonly stack?: string;
}

const SITE_FRAMES = 8;

/** The site of every acquisition while the context records none. */
const unrecordedSite: AcquisitionSite = {};

function captureSite(context: LockContext): AcquisitionSite {
  if (context.recordLockSites !== true) return unrecordedSite;
  const site: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = SITE_FRAMES;
  Error.captureStackTrace(site, captureSite);
  Error.stackTraceLimit = limit;
  return site;
}

/** The first frame outside the lock helpers: `function (file:line)`. */
export function describeSite(site: AcquisitionSite | null | undefined): string {
  if (site === unrecordedSite) return "a site not recorded (replay the counterexample to see it)";
  const frames = (site?.stack ?? "").split("\n").filter((line) => line.trimStart().startsWith("at "));
  const helpers = /\/(lock|map|page-allocator)\.ts:|captureSite|lockPageQueues|mapLockFor/;
  const frame = frames.find((line) => !helpers.test(line)) ?? frames[0];
  if (frame === undefined) return "an unknown site";
  return frame
    .trim()
    .replace(/^at /, "")
    .replace(/\((file:\/\/)?\S*?\/((impl|properties|systems|model|vocabulary)\/)/, "($2");
}

let nextLockId = 1;

export class Mutex {
  readonly id = nextLockId++;
  /** The thread holding the mutex, or null. [changed only by mutexEnter/mutexExit] */
  holder: ThreadId | null = null;
  /** Where the holder acquired it. */
  site: AcquisitionSite | null = null;
  /** mutex_obj_hold count: how many structures point at this lock object. */
  references = 1;

  constructor(
    readonly name: string,
    readonly rank: LockRank,
  ) {}
}

/** The lock-order check for a blocking acquisition of `lock` at `site`. */
function checkOrder(context: LockContext, lock: Mutex | MapLock, site: AcquisitionSite): void {
  const rank = lockRankOrder[lock.rank];
  for (const held of context.held) {
    if (lockRankOrder[held.rank] <= rank) continue;
    const heldSite = held instanceof Mutex ? held.site : held.siteOf(context.thread);
    throw new LockDisciplineFailure(
      "lock-order",
      `thread ${context.thread} acquires ${lock.name} (${lock.rank}) at ${describeSite(site)} while holding ${held.name} (${held.rank}), acquired at ${describeSite(heldSite)}: the order is maps → amap → uobj → anon → pageq`,
    );
  }
}

export function mutexEnter(context: LockContext, lock: Mutex): void {
  assert(lock.holder !== context.thread, () => `mutex_enter: ${lock.name} already held by this thread (recursive acquisition)`);
  assert(lock.holder === null, () => `mutex_enter: ${lock.name} held by thread ${lock.holder}`);
  const site = captureSite(context);
  checkOrder(context, lock, site);
  take(context, lock, site);
}

function take(context: LockContext, lock: Mutex, site: AcquisitionSite): void {
  lock.holder = context.thread;
  lock.site = site;
  context.held.add(lock);
}

/** mutex_tryenter: fails if the lock is held, or if contention is injected; never checks the order. */
export function mutexTryEnter(context: LockContext, lock: Mutex): boolean {
  if (lock.holder !== null || context.contended?.() === true) return false;
  take(context, lock, captureSite(context));
  return true;
}

export function mutexExit(context: LockContext, lock: Mutex): void {
  assert(lock.holder === context.thread, () => `mutex_exit: ${lock.name} not held by this thread`);
  lock.holder = null;
  lock.site = null;
  context.held.delete(lock);
}

export function mutexOwned(context: LockContext, lock: Mutex): boolean {
  return lock.holder === context.thread;
}

/** mutex_obj_hold */
export function mutexHold(lock: Mutex): Mutex {
  assert(lock.references > 0, () => `mutex_obj_hold: ${lock.name} already freed`);
  lock.references++;
  return lock;
}

/** mutex_obj_free: drops one reference; the lock must not be held when the last goes. */
export function mutexRelease(lock: Mutex): void {
  assert(lock.references > 0, () => `mutex_obj_free: ${lock.name} already freed`);
  lock.references--;
  assert(lock.references > 0 || lock.holder === null, () => `mutex_obj_free: ${lock.name} freed while held`);
}

export class MapLock {
  readonly id = nextLockId++;
  readonly rank: LockRank = "maps";
  /** Read holds per thread. [changed only by mapLock*] */
  readonly readers = new Map<ThreadId, number>();
  /** The writing thread, or null. */
  writer: ThreadId | null = null;
  /** vm_map_busy: the thread that busied the map (only it may write-lock it), or null. */
  busy: ThreadId | null = null;
  private writerSite: AcquisitionSite | null = null;
  private readonly readerSites = new Map<ThreadId, AcquisitionSite>();

  constructor(readonly name: string) {}

  siteOf(thread: ThreadId): AcquisitionSite | null {
    return this.writer === thread ? this.writerSite : (this.readerSites.get(thread) ?? null);
  }

  /** Whether a read lock could be taken now. */
  readable(): boolean {
    return this.writer === null;
  }

  /** Whether `thread` could write-lock now (vm_map_lock also waits while another thread has the map busy). */
  writable(thread: ThreadId): boolean {
    return this.writer === null && this.readers.size === 0 && (this.busy === null || this.busy === thread);
  }

  /** The threads `thread` waits for before it can lock (read or write). */
  blockers(thread: ThreadId, write: boolean): ThreadId[] {
    const holders = new Set<ThreadId>();
    if (this.writer !== null && this.writer !== thread) holders.add(this.writer);
    if (write) {
      for (const reader of this.readers.keys()) if (reader !== thread) holders.add(reader);
      if (this.busy !== null && this.busy !== thread) holders.add(this.busy);
    }
    return [...holders];
  }

  recordSite(thread: ThreadId, site: AcquisitionSite, write: boolean): void {
    if (write) this.writerSite = site;
    else this.readerSites.set(thread, site);
  }
}

export function mapLockRead(context: LockContext, lock: MapLock): void {
  assert(lock.readable(), () => `vm_map_lock_read: ${lock.name} write-locked by thread ${lock.writer}`);
  const site = captureSite(context);
  checkOrder(context, lock, site);
  lock.readers.set(context.thread, (lock.readers.get(context.thread) ?? 0) + 1);
  lock.recordSite(context.thread, site, false);
  context.held.add(lock);
}

export function mapLockWrite(context: LockContext, lock: MapLock): void {
  assert(lock.writer !== context.thread, () => `vm_map_lock: ${lock.name} already write-locked by this thread`);
  assert(lock.writable(context.thread), () => `vm_map_lock: ${lock.name} held or busy (writer ${lock.writer}, readers ${[...lock.readers.keys()].join(",")}, busy ${lock.busy})`);
  const site = captureSite(context);
  checkOrder(context, lock, site);
  lock.writer = context.thread;
  lock.recordSite(context.thread, site, true);
  context.held.add(lock);
}

export function mapUnlock(context: LockContext, lock: MapLock): void {
  if (lock.writer === context.thread) {
    lock.writer = null;
  } else {
    const count = lock.readers.get(context.thread) ?? 0;
    assert(count > 0, () => `vm_map_unlock: ${lock.name} not locked by this thread`);
    if (count === 1) lock.readers.delete(context.thread);
    else lock.readers.set(context.thread, count - 1);
    if (count > 1) return;
  }
  context.held.delete(lock);
}

