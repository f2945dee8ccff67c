//! Sleep points: every place the seed sleeps or unlocks for I/O is a `yield`.
//!
//! Kernel paths that can sleep are generator functions returning `Sleepy<T>`. At each sleep
//! the path has released the locks the seed releases (docs/seeds.md: sleep sites) and yields a
//! `SleepPoint` naming the site (U1-U17, L1-L9). The scheduler (impl/scheduler.ts) decides
//! what happens while it sleeps: it parks the thread, runs other commands, and resumes it
//! when the schedule says so; a path that must not sleep where it is called runs through
//! `runAtomically` (impl/uvm/run-atomically.ts).
//!
//! A sleeping thread holds no mutex. It may keep map locks only where the point says so
//! (`keepsMaps`: the seed documents it, e.g. U3 keeps the maps read-locked); anything else is
//! a `sleep-with-lock` failure.
//!
//! A path that sleeps without bound is a liveness bug (bug F16): the drivers give up after
//! `SLEEP_LIMIT` sleeps without progress and report it.

import type { Anon } from "./anon.ts";
import type { MapLock } from "./lock.ts";
import type { Page } from "./page.ts";
import type { ThreadId } from "../../vocabulary/units.ts";

export type SleepPoint =
  /** Unlocked for I/O (pgo_get SYNCIO, swap read); resumes when the I/O is done. */
  | { readonly kind: "io"; readonly site: string }
  /** uvm_wait: sleeps until the page daemon has freed memory. */
  | { readonly kind: "memoryWait"; readonly site: string; readonly keepsMaps?: boolean }
  /** kpause: sleeps for a while (EAGAIN back-off, try-lock back-off). */
  | { readonly kind: "pause"; readonly site: string; readonly keepsMaps?: boolean }
  /**
   * UVM_UNLOCK_AND_WAIT on a BUSY page: sleeps until its busier wakes it. `epoch` is the
   * page's busyEpoch then: the wakeup comes when that busying ends, and a later one (the
   * frame freed and handed out again, the page busied anew) no longer keeps the sleeper.
   */
  | { readonly kind: "pageWait"; readonly site: string; readonly page: Page; readonly epoch: number }
  /** A loan that meets a page's borrower being disposed of: sleeps until the disposal has let go of the page. */
  | { readonly kind: "disposalWait"; readonly site: string; readonly anon: Anon }
  /** An unloan of a loan some threads are reading through: sleeps until they are done. */
  | { readonly kind: "readersWait"; readonly site: string; readonly readers: readonly ThreadId[] }
  /** vm_map_lock / vm_map_lock_read on a map another thread holds (or has busy): sleeps until it can lock. */
  | { readonly kind: "lockWait"; readonly site: string; readonly lock: MapLock; readonly write: boolean };

export type Sleepy<T> = Generator<SleepPoint, T, undefined>;

/** The most sleeps one operation may take without another thread making progress before a driver calls it a hang. */
export const SLEEP_LIMIT = 256;

export function* sleep(point: SleepPoint): Sleepy<void> {
  yield point;
}
