//! The synchronous driver: runs a kernel path to completion on the calling thread.
//!
//! At a memory wait it runs the page daemon and resumes; at I/O or a pause it resumes at
//! once (the I/O was performed by the path itself). Waiting on a BUSY page cannot end when
//! no other thread runs, so it is reported as a deadlock. More than SLEEP_LIMIT sleeps in
//! one command is reported as a liveness failure (a wait that can never be satisfied).

import { AssertionFailure, LivenessFailure } from "../../vocabulary/assert.ts";
import { freeTarget, runPageDaemon } from "./page-daemon.ts";
import { SLEEP_LIMIT, type Sleepy } from "./sleep.ts";
import type { Uvm } from "./uvm.ts";

export function runToCompletion<T>(uvm: Uvm, path: Sleepy<T>): T {
  for (let sleeps = 0; ; sleeps++) {
    const step = path.next();
    if (step.done === true) return step.value;
    if (sleeps >= SLEEP_LIMIT) throw new LivenessFailure(`no progress after ${SLEEP_LIMIT} sleeps (last at ${step.value.site})`);
    const point = step.value;
    switch (point.kind) {
      case "memoryWait":
        runPageDaemon(uvm, freeTarget(uvm));
        break;
      case "pageWait":
        throw new AssertionFailure(`deadlock: ${point.site} waits on ${point.page.describe()} with no other thread to release it`);
      case "io":
      case "pause":
        break;
    }
  }
}
