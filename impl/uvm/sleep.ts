//! Sleep points: every place the seed sleeps or unlocks for I/O is a `yield`.
//!
//! Kernel paths that can sleep are generator functions returning `Sleepy<T>`. At each sleep
//! the path has released the locks the seed releases (catalog section E) and yields a
//! `SleepPoint` naming the site (U1-U17, L1-L9). A driver decides what happens while it
//! sleeps: the synchronous driver here runs the page daemon for a memory wait and resumes at
//! once; the concurrency scheduler parks the thread and runs other commands.
//!
//! A path that sleeps without bound is a liveness bug (catalog F16): the synchronous driver
//! gives up after `SLEEP_LIMIT` sleeps in one command and reports it.

import type { Page } from "./page.ts";

export type SleepPoint =
  /** Unlocked for I/O (pgo_get SYNCIO, swap read); resumes when the I/O is done. */
  | { readonly kind: "io"; readonly site: string }
  /** uvm_wait: sleeps until the page daemon has freed memory. */
  | { readonly kind: "memoryWait"; readonly site: string }
  /** kpause: sleeps for a while (EAGAIN back-off, try-lock back-off). */
  | { readonly kind: "pause"; readonly site: string }
  /** UVM_UNLOCK_AND_WAIT on a BUSY page: sleeps until its busier wakes it. */
  | { readonly kind: "pageWait"; readonly site: string; readonly page: Page };

export type Sleepy<T> = Generator<SleepPoint, T, undefined>;

/** The most sleeps one command may take before the driver calls it a hang. */
export const SLEEP_LIMIT = 256;

export function* sleep(point: SleepPoint): Sleepy<void> {
  yield point;
}
