//! The DragonFly VM's global state on one simulated machine: the vm_page array (one per
//! frame), the live objects, the files' vnode objects, the swap map, coverage counters and
//! the seed bug switched on for the run (seed-bugs.ts), if any; the running thread and the
//! faults in progress, by thread (a parked fault is one of them).

import { type ThreadId, threadId } from "../../vocabulary/units.ts";
import type { WorldConfig } from "../../vocabulary/world.ts";
import type { Machine } from "../hardware/machine.ts";
import { frameNumber, type SwapSlot, swapSlot } from "../hardware/units.ts";
import { DragonflyCoverage } from "./coverage.ts";
import type { FaultState } from "./fault/fault-state.ts";
import type { DragonflySeedBugName } from "./seed-bugs.ts";
import { type VmObject, vmObjectAllocate } from "./vm-object.ts";
import { VmPage } from "./vm-page.ts";

export class Vm {
  readonly pages: VmPage[];
  /** Every object not yet terminated (vm_object_list). */
  readonly objects = new Set<VmObject>();
  nextObjectId = 1;
  /** The SysV shared memory segments not removed: id → the object the segment holds a reference to (sysv-shm.ts). */
  readonly shmSegments = new Map<number, VmObject>();
  nextShmSegment = 1;
  /**
   * One vnode object per file, kept by the file (vp->v_object) for the whole run without a
   * reference of its own: its ref_count counts the mappings (vnode_pager_alloc,
   * vm_object_vndeallocate), and is 0 while nothing maps the file.
   */
  readonly vnodeObjects: VmObject[];
  /** Swap slots not in use, lowest first; slots a read failed on are `badSlots`, never reused. */
  readonly freeSwapSlots: SwapSlot[];
  readonly badSlots = new Set<SwapSlot>();
  readonly coverage = new DragonflyCoverage();
  /** The thread now running. [switchTo] */
  thread: ThreadId = threadId(0);
  /** Each thread's fault in progress, from its lookup until it returns. [vm_fault] */
  readonly faults = new Map<ThreadId, FaultState>();
  /** Threads whose fault waited for memory in vain: it starts over once more, and answers a shortage without waiting again. [vm_fault] */
  readonly faultsShortOfMemory = new Set<ThreadId>();

  constructor(
    readonly machine: Machine,
    readonly world: WorldConfig,
    private readonly seedBug: DragonflySeedBugName | null,
  ) {
    this.pages = Array.from({ length: world.frames }, (_, frame) => new VmPage(frameNumber(frame)));
    this.vnodeObjects = Array.from({ length: world.files }, (_, file) => {
      const object = vmObjectAllocate(this, "vnode", world.filePages, file);
      object.refCount = 0; // vnode_pager_alloc counts the first mapping; vp->v_object is no reference
      return object;
    });
    this.freeSwapSlots = Array.from({ length: world.swapSlots }, (_, index) => swapSlot(index + 1));
  }

  /** Whether the seed's behaviour `name` (a seed bug we fix) is put back for this run. */
  seedBehaviour(name: DragonflySeedBugName): boolean {
    return this.seedBug === name;
  }

  /** Makes `thread` the running thread. Returns the thread that was running. */
  switchTo(thread: ThreadId): ThreadId {
    const previous = this.thread;
    this.thread = thread;
    return previous;
  }

  pageOfFrame(frame: number): VmPage {
    const page = this.pages[frame];
    if (page === undefined) throw new RangeError(`no vm_page for frame ${frame}`);
    return page;
  }
}
