//! The kernel's global state: what NetBSD keeps in `struct uvm`, `uvmexp` and friends.
//!
//! One `Uvm` per simulated machine. It owns the vm_page array (one Page per frame), the
//! paging queues and their lock, the file objects (one vnode per file), the registries of
//! live anons, amaps and objects that the heap-walk invariants start from, the coverage
//! counters and the seed bug switched on for this run. It is also the `LockContext`: the
//! thread now running, and the locks it holds (each thread has its own set; the scheduler
//! switches between them).
//!
//! Every UVM function takes the `Uvm` as its first argument, the way TigerBeetle passes its
//! storage: hardware is reached only through `uvm.machine`.

import type { FrameEvent } from "../../vocabulary/frame-trace.ts";
import type { ThreadId } from "../../vocabulary/units.ts";
import { threadId } from "../../vocabulary/units.ts";
import type { WorldConfig } from "../../vocabulary/world.ts";
import type { Machine } from "../hardware/machine.ts";
import { frameNumber } from "../hardware/units.ts";
import type { Amap } from "./amap.ts";
import type { Anon } from "./anon.ts";
import type { AnonymousObject } from "./aobj.ts";
import { Coverage } from "./coverage.ts";
import { type LockContext, type MapLock, Mutex } from "./lock.ts";
import type { LoanInProgress, LoanRecord, ReturningLoan } from "./loan/loan-record.ts";
import type { ZeroObject } from "./loan/zero-object.ts";
import type { UvmObject } from "./object.ts";
import { Page } from "./page.ts";
import { SwapSpace } from "./swap.ts";
import type { SeedBugName } from "./seed-bugs.ts";

export class Uvm implements LockContext {
  /** The thread now running. [switchTo] */
  thread: ThreadId = threadId(0);
  /** The locks the running thread holds. [switchTo] */
  held = new Set<Mutex | MapLock>();
  private readonly heldByThread = new Map<ThreadId, Set<Mutex | MapLock>>([[threadId(0), this.held]]);
  readonly coverage = new Coverage();
  /** Capture where each lock is taken (LockContext); on only when replaying a failure. [at creation] */
  recordLockSites = false;
  /** The vm_page array: `pages[frame]`. */
  readonly pages: readonly Page[];
  /** Paging queues, oldest first. [pageQueueLock] */
  readonly activeQueue = new Set<Page>();
  readonly inactiveQueue = new Set<Page>();
  /** uvm_pageqlock */
  readonly pageQueueLock = new Mutex("uvm_pageqlock", "pageq");
  /** Live anons, amaps and objects: where the heap-walk invariants start. */
  readonly liveAnons = new Set<Anon>();
  readonly liveAmaps = new Set<Amap>();
  readonly liveObjects = new Set<UvmObject>();
  /** Which swap slots are free, in use or bad. */
  readonly swap: SwapSpace;
  /** The object of the shared zero page lent by zero-fill loans (created at boot). */
  zeroObject: ZeroObject | null = null;
  /** Set once the zero page exists; it must never go away after that. */
  zeroPageMade = false;
  /** Outstanding loans by handle (the kernel's loan holders). */
  readonly loans = new Map<number, LoanRecord>();
  /** Loans being given back by an unloan that sleeps between items. */
  readonly returningLoans = new Set<ReturningLoan>();
  /** Loans being made: what each has lent so far (a loan sleeps between pages, L1-L9). */
  readonly loansInProgress = new Set<LoanInProgress>();
  nextLoanHandle = 1;
  /** The SysV shared memory segments not removed: id → the aobj the segment holds a reference to (sysv-shm.ts). */
  readonly shmSegments = new Map<number, AnonymousObject>();
  nextShmSegment = 1;
  /** New anons (a fault's promotion or zero fill into an amap, a loan's borrower of an object page) since the last command began; NaN once a zero loan ran. [fault, loan] */
  copiesMade = 0;
  /** The vnode of each file, created at boot and never freed. */
  readonly vnodes: UvmObject[] = [];
  /** Frame events for traces (vocabulary/frame-trace.ts); null unless tracing. [page layer, swap] */
  events: FrameEvent[] | null = null;
  nextAnonId = 1;
  nextAmapId = 1;
  nextObjectId = 1;

  constructor(
    readonly machine: Machine,
    readonly world: WorldConfig,
    readonly seedBug: SeedBugName | null,
  ) {
    this.pages = Array.from({ length: world.frames }, (_, frame) => new Page(frameNumber(frame)));
    this.swap = new SwapSpace(world.swapSlots);
  }

  /** Makes `thread` the running thread, with its own held locks. Returns the thread that was running. */
  switchTo(thread: ThreadId): ThreadId {
    const previous = this.thread;
    let held = this.heldByThread.get(thread);
    if (held === undefined) {
      held = new Set();
      this.heldByThread.set(thread, held);
    }
    this.thread = thread;
    this.held = held;
    return previous;
  }

  /** lockContention injection: whether a mutex_tryenter finds the lock held by another CPU just now. */
  contended(): boolean {
    if (!this.machine.failures.fails("lockContention")) return false;
    this.coverage.hit("trylock.contended");
    return true;
  }

  /** Whether this run puts back the seed's behaviour `name` (impl/uvm/seed-bugs.ts). */
  seedBehaviour(name: SeedBugName): boolean {
    return this.seedBug === name;
  }

  pageOfFrame(frame: number): Page {
    const page = this.pages[frame];
    if (page === undefined) throw new RangeError(`no vm_page for frame ${frame}`);
    return page;
  }
}
