//! The UVM canaries: one planted bug per invariant or property family, proving that the
//! check can fail. Each is an edit of impl/'s sources (variants/source-edit.ts), applied to a
//! copy of impl/ when the canary is switched on (variants/materialize.ts); impl/ itself stays
//! faithful. `corrupts` cites the seed lines (docs/seeds.md) or the simulator function.

import { edit, type SourceVariant } from "./source-edit.ts";
import { uvmSysvShmCanaries } from "./uvm-canaries-sysv-shm.ts";

const coreCanaries = [
  {
    name: "canary-1A-write-protect",
    kind: "canary",
    description: "case 1A maps an anon with an_ref > 1 writable, so a write lands in a page another process shares",
    corrupts: "F:1434-1435 uvm_fault_upper_direct",
    edits: [edit("impl/uvm/fault/upper/fault-upper.ts", "if (anon.references > 1) fault.enterProt &= ~PROT_WRITE; // F:1434-1435", "")],
  },
  {
    name: "canary-neighbor-write-protect",
    kind: "canary",
    description: "upper neighbours are entered writable even when their anon is shared",
    corrupts: "F:1146-1147 uvm_fault_upper_lookup (readonly = an_ref > 1)",
    edits: [edit("impl/uvm/fault/upper/fault-upper.ts", "const readonly = anon.references > 1; // F:1146-1147", "const readonly = false; // F:1146-1147")],
  },
  {
    name: "canary-cow-object-writable",
    kind: "canary",
    description: "a read fault through a copy-on-write entry maps the object page writable",
    corrupts: "F:1949-1951 uvm_fault_lower_direct",
    edits: [edit("impl/uvm/fault/lower/fault-lower-direct.ts", "const copyOnWrite = info.currentEntry.copyOnWrite;", "const copyOnWrite = false;")],
  },
  {
    name: "canary-needs-copy-writable",
    kind: "canary",
    description: "a read fault on a needs_copy entry keeps WRITE in enter_prot",
    corrupts: "F:956 uvm_fault_check",
    edits: [edit("impl/uvm/fault/fault-check.ts", "fault.enterProt &= ~PROT_WRITE; // F:956", "")],
  },
  {
    name: "canary-shared-amap-flush",
    kind: "canary",
    description: "a promotion in a shared amap leaves other sharers' mappings of the object page in place",
    corrupts: "F:2072-2077 uvm_fault_lower_promote",
    edits: [edit("impl/uvm/fault/lower/fault-lower-promote.ts", "uvm.machine.mmu.pageProtect(objectPage.frame, 0); // F:2072-2077", "")],
  },
  {
    name: "canary-amap-copy-reference",
    kind: "canary",
    description: "amap_copy shares the anons without taking a reference on them",
    corrupts: "amap_copy (uvm_amap.c): an_ref++ per copied slot",
    edits: [edit("impl/uvm/amap.ts", "anon.references++;", "")],
  },
  {
    name: "canary-fork-share-amap-reference",
    kind: "canary",
    description: "fork with inherit=share hands the child the amap without amap_ref",
    corrupts: "uvm_mapent_forkshare (uvm_map.c): amap_ref",
    edits: [edit("impl/uvm/fork.ts", "amapRef(uvm, clone.amap, clone.amapOffset, clone.pages, true);", "clone.amap.shared = true;")],
  },
  {
    name: "canary-anon-page-backlink",
    kind: "canary",
    description: "uvm_pagealloc for an anon forgets pg->uanon",
    corrupts: "uvm_pagealloc (uvm_page.c): pg->uanon = anon",
    edits: [edit("impl/uvm/page-allocator.ts", "page.anon = owner.anon;", "")],
  },
  {
    name: "canary-neighbor-left-busy",
    kind: "canary",
    description: "a lower neighbour page is mapped but never unbusied",
    corrupts: "F:1776 uvm_fault_lower_neighbor",
    edits: [edit("impl/uvm/fault/lower/fault-lower.ts", "pageClearBusy(uvm, page, PG_BUSY); // F:1776", "")],
  },
  {
    name: "canary-promote-fake",
    kind: "canary",
    description: "case 1B maps the new page without clearing PG_FAKE",
    corrupts: "F:1403 uvm_fault_upper_promote",
    edits: [
      edit("impl/uvm/fault/upper/fault-upper.ts", "pageClearBusy(uvm, page, PG_BUSY | PG_FAKE); // F:1403", "pageClearBusy(uvm, page, PG_BUSY); // F:1403"),
    ],
  },
  {
    name: "canary-anon-free-leak",
    kind: "canary",
    description: "uvm_anfree forgets to free the anon's page, leaking its frame",
    corrupts: "uvm_anon_dispose (uvm_anon.c): uvm_pagefree",
    edits: [
      edit(
        "impl/uvm/anon.ts",
        ["lockPageQueues(uvm);", "pageFree(uvm, page);", "unlockPageQueues(uvm);", "anon.page = null;"],
        ["page.anon = null;", "page.pqFlags &= ~PQ_ANON;", "anon.page = null;"],
      ),
    ],
  },
  {
    name: "canary-upper-lookup-shadow",
    kind: "canary",
    description: "the upper lookup lets the lower layer map object pages that an anon shadows",
    corrupts: "F:1133 uvm_fault_upper_lookup (pages[lcv] = PGO_DONTCARE)",
    edits: [
      edit("impl/uvm/fault/upper/fault-upper.ts", "pages.push(DONTCARE); // F:1133", "pages.push(index !== fault.centerIndex ? null : DONTCARE); // F:1133"),
    ],
  },
  {
    name: "canary-fork-copy-lock",
    kind: "canary",
    description: "fork's amap copy gives the child's amap a lock of its own although it shares anons",
    corrupts: "amap_copy (uvm_amap.c): share the source amap's lock when anons were copied",
    edits: [
      edit("impl/uvm/fork.ts", 'import { mutexEnter, mutexExit } from "./lock.ts";', 'import { Mutex, mutexEnter, mutexExit, mutexRelease } from "./lock.ts";'),
      edit("impl/uvm/fork.ts", "amapCopy(uvm, clone);", [
        "amapCopy(uvm, clone);",
        "if (clone.amap !== null) {",
        "  mutexRelease(clone.amap.lock);",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the line inserted holds a template literal
        '  clone.amap.lock = new Mutex(`amap ${clone.amap.id}`, "amap");',
        "}",
      ]),
    ],
  },
  {
    name: "canary-wired-page-queued",
    kind: "canary",
    description: "uvm_pagewire leaves the page on its paging queue",
    corrupts: "uvm_pagewire (uvm_page.c): dequeue on the first wiring",
    edits: [
      edit("impl/uvm/page-allocator.ts", "if (page.wireCount === 0) pageDequeue(uvm, page);", ""),
      edit("impl/uvm/page-allocator.ts", "if (page.wireCount > 0) return;", ""),
    ],
  },
  {
    name: "canary-vnode-write-clean",
    kind: "canary",
    description: "pgo_get(PGO_SYNCIO) for a write leaves the vnode marked clean",
    corrupts: "genfs_getpages: genfs_markdirty on write access (bug F12)",
    edits: [
      edit("impl/uvm/vnode.ts", ["pageSetBusy(uvm, resident);", "if ((access & PROT_WRITE) !== 0) this.markDirty();"], "pageSetBusy(uvm, resident);"),
      edit("impl/uvm/vnode.ts", ["page.flags &= ~PG_FAKE;", "if ((access & PROT_WRITE) !== 0) this.markDirty();"], "page.flags &= ~PG_FAKE;"),
    ],
  },
  {
    name: "canary-zero-fill-garbage",
    kind: "canary",
    description: "a zero-fill promotion maps a page that was never zeroed",
    corrupts: "F:611-612 uvmfault_promote (UVM_PGA_ZERO)",
    edits: [
      edit(
        "impl/uvm/fault/promote.ts",
        "const page = pageAlloc(uvm, { anon }, { zero: sourcePage === null }); // F:611-612",
        "const page = pageAlloc(uvm, { anon }, { zero: false }); // F:611-612",
      ),
    ],
  },
  {
    name: "canary-cow-copy-skip",
    kind: "canary",
    description: "a copy-on-write promotion does not copy the old page into the new one",
    corrupts: "F:650-652 uvmfault_promote (uvm_pagecopy)",
    edits: [edit("impl/uvm/fault/promote.ts", "if (sourcePage !== null) pageCopy(uvm, sourcePage, page); // F:650-652", "")],
  },
  {
    name: "canary-lent-page-unqueued",
    kind: "canary",
    description: "uvm_loanpage takes the page it lends off the paging queues instead of activating it, so the page daemon never sees it again",
    corrupts: "L:482 uvm_loanpage (uvm_pageactivate)",
    edits: [
      edit(
        "impl/uvm/loan/loan-object.ts",
        'import { lockPageQueues, pageActivate, pageClearBusy, pageFree, pageUnbusy, unlockPageQueues, wakeupPage } from "../page-allocator.ts";',
        'import { lockPageQueues, pageActivate, pageClearBusy, pageDequeue, pageFree, pageUnbusy, unlockPageQueues, wakeupPage } from "../page-allocator.ts";',
      ),
      edit("impl/uvm/loan/loan-object.ts", "pageActivate(uvm, page); // L:482", "pageDequeue(uvm, page);"),
    ],
  },
  {
    name: "canary-orphan-left-queued",
    kind: "canary",
    description: "uvm_pagefree leaves a loaned page that lost its last owner on its paging queue",
    corrupts: "uvm_pagefree (uvm_page.c): uvm_pagedequeue of an ownerless loaned page",
    edits: [edit("impl/uvm/page-allocator.ts", "if (page.anon === null) pageDequeue(uvm, page); // an ownerless orphan leaves the queues", "")],
  },
  {
    name: "canary-enomem-on-transient-failure",
    kind: "canary",
    description:
      "uvm_reclaimable looks only at the paging queues: with the resident pages wired and nearly every frame free, a one-shot frame-allocation failure answers ENOMEM instead of waiting",
    corrupts: "uvmReclaimable (impl/uvm/page-daemon.ts): free frames not counted before the queue scan",
    edits: [edit("impl/uvm/page-daemon.ts", "if (room >= FRAMES_PER_OPERATION) return true; // free frames count even with nothing queued", "")],
  },
  {
    name: "canary-loanpage-count",
    kind: "canary",
    description: "uvm_loanpage lends an object page to the kernel without counting the loan",
    corrupts: "L:481 uvm_loanpage (pg->loan_count++)",
    edits: [edit("impl/uvm/loan/loan-object.ts", "page.loanCount++; // L:481", "")],
  },
  {
    name: "canary-upper-loan-writable",
    kind: "canary",
    description: "a read fault on a loaned anon page maps it without capping the protection",
    corrupts: "F:1332 uvm_fault_upper_loan",
    edits: [edit("impl/uvm/fault/upper/fault-upper.ts", "fault.enterProt &= ~PROT_WRITE; // F:1332", "")],
  },
  {
    name: "canary-zero-page-writable",
    kind: "canary",
    description: "the loan zero page is made without PG_RDONLY",
    corrupts: "L:876 uvm_loanzero",
    edits: [edit("impl/uvm/loan/loan-zero.ts", "page.flags |= PG_RDONLY; // L:876", "")],
  },
  {
    name: "canary-ubc-skip-loanbreak",
    kind: "canary",
    description: "write(2) to a file page writes into the page the kernel holds on loan",
    corrupts: "ubc_fault (uvm_bio.c): uvm_loanbreak before a write",
    edits: [edit("impl/uvm/ubc.ts", "if (page.loanCount > 0) {", "if (page.loanCount < 0) { // never: the write lands in the page on loan")],
  },
  {
    name: "canary-swap-slot-leak",
    kind: "canary",
    description: "freeing an anon forgets its swap slot",
    corrupts: "uvm_anon_dispose (uvm_anon.c): uvm_anon_dropswap",
    edits: [
      edit("impl/uvm/anon.ts", ["anonDropSwap(uvm, anon);", "return true;"], ["anon.swapSlot = NO_SWAP_SLOT;", "anonDropSwap(uvm, anon);", "return true;"]),
    ],
  },
  {
    name: "canary-wired-keeps-swap",
    kind: "canary",
    description: "a wire fault keeps the anon's swap copy",
    corrupts: "F:1537-1539 uvm_fault_upper_done (uvm_anon_dropswap)",
    edits: [edit("impl/uvm/fault/upper/fault-upper.ts", "if (fault.wirePaging) anonDropSwap(uvm, anon); // F:1537-1539", "")],
  },
  {
    name: "canary-pagein-keeps-clean",
    kind: "canary",
    description: "after a swap-in the anon gives its swap slot back but the page stays CLEAN, as if its copy were still on swap",
    corrupts: "uvm_anon_pagein (uvm_anon.c): free the slot and clear PG_CLEAN together",
    edits: [
      edit(
        "impl/uvm/fault/upper/anonget.ts",
        'import { type Anon, anonLockLoanPage, anonRelease } from "../../anon.ts";',
        'import { type Anon, anonDropSwap, anonLockLoanPage, anonRelease } from "../../anon.ts";',
      ),
      edit("impl/uvm/fault/upper/anonget.ts", "pageClearBusy(uvm, page, PG_WANTED | PG_BUSY | PG_FAKE);", [
        "pageClearBusy(uvm, page, PG_WANTED | PG_BUSY | PG_FAKE);",
        "anonDropSwap(uvm, anon);",
      ]),
    ],
  },
  {
    name: "canary-shared-anon-copy-shares",
    kind: "canary",
    description: "a copying fork of shared anonymous memory shares its amap with the child, which then sees the parent's later writes (no copy-on-write snapshot)",
    corrupts: "uvm_mapent_forkcopy (uvm_map.c): amap_copy of an AMAP_SHARED amap, NEEDSCOPY otherwise",
    edits: [edit("impl/uvm/fork.ts", 'if (entry.inheritance === "share") {', 'if (entry.inheritance === "share" || (entry.amap !== null && !entry.copyOnWrite)) {')],
  },
  {
    name: "canary-lock-order",
    kind: "canary",
    description: "after the object I/O of a lower fault, the object is relocked before the amap, against the global lock order",
    corrupts: "F:1858-1863 uvm_fault_lower_io (lock order of F:85)",
    edits: [
      edit(
        "impl/uvm/fault/lower/fault-lower.ts",
        ["if (locked && amap !== null) mutexEnter(uvm, amap.lock);", "mutexEnter(uvm, owner.lock); // F:1863, the amap before the object (F:85)"],
        ["mutexEnter(uvm, owner.lock); // the object before its amap: against F:85", "if (locked && amap !== null) mutexEnter(uvm, amap.lock);"],
      ),
    ],
  },
  {
    name: "canary-lower-io-slot-recheck",
    kind: "canary",
    description: "after the object I/O of a lower fault, the amap slot is not re-checked, so a promotion another thread made meanwhile is overwritten",
    corrupts: "F:1881-1887 uvm_fault_lower_io",
    edits: [
      edit(
        "impl/uvm/fault/lower/fault-lower.ts",
        "const slotFilled = locked && amap !== null && amapLookup(uvm, entry, info.origVa - entry.start) !== null;",
        "const slotFilled = false;",
      ),
    ],
  },
  {
    name: "canary-relock-fails-efault",
    kind: "canary",
    description: "a lower fault whose map changed while it waited for the object I/O fails with EFAULT instead of starting over",
    corrupts: "F:1858-1860, F:1893-1909 uvm_fault_lower_io (ERESTART)",
    edits: [
      edit("impl/uvm/fault/lower/fault-lower.ts", "let locked = yield* faultRelock(uvm, info); // F:1858-1860", [
        "let locked = yield* faultRelock(uvm, info); // F:1858-1860",
        "const mapChanged = !locked;",
      ]),
      edit("impl/uvm/fault/lower/fault-lower.ts", 'return { status: "ERESTART", object: owner, page: null };', [
        'if (mapChanged) return { status: "EFAULT", object: owner, page: null };',
        'return { status: "ERESTART", object: owner, page: null };',
      ]),
    ],
  },
  {
    name: "canary-sleep-with-lock",
    kind: "canary",
    description: "the vnode pager keeps the object locked while it reads the page from disk",
    corrupts: "genfs_getpages (the object lock across the I/O sleep, U12)",
    edits: [
      edit(
        "impl/uvm/vnode.ts",
        [
          "mutexExit(uvm, this.lock);",
          "const read = uvm.machine.disk.read(this.file, offset); // the device decides now whether the read fails",
          'yield* sleep({ kind: "io", site: "U12 vnode read" });',
          "mutexEnter(uvm, this.lock);",
        ],
        [
          "const read = uvm.machine.disk.read(this.file, offset); // the device decides now whether the read fails",
          'yield* sleep({ kind: "io", site: "U12 vnode read" });',
        ],
      ),
    ],
  },
  {
    name: "canary-busy-owner",
    kind: "canary",
    description: "a page the vnode pager allocates to read in is recorded as busied by thread 0, whoever busied it",
    corrupts: "genfs_getpages (UVM_PAGE_OWN)",
    edits: [
      edit("impl/uvm/vnode.ts", 'import { PROT_READ, PROT_WRITE } from "../../vocabulary/protection.ts";', [
        'import { PROT_READ, PROT_WRITE } from "../../vocabulary/protection.ts";',
        'import { threadId } from "../../vocabulary/units.ts";',
      ]),
      edit(
        "impl/uvm/vnode.ts",
        ["mutexExit(uvm, this.lock);", "const read = uvm.machine.disk.read(this.file, offset); // the device decides now whether the read fails"],
        [
          "page.busyOwner = threadId(0); // UVM_PAGE_OWN names the wrong thread",
          "mutexExit(uvm, this.lock);",
          "const read = uvm.machine.disk.read(this.file, offset); // the device decides now whether the read fails",
        ],
      ),
    ],
  },
  {
    name: "canary-busy-page-spin",
    kind: "canary",
    description:
      "anonget, finding the anon's page BUSY, drops its locks and retries at once instead of sleeping on the page, so it spins while the busier cannot run",
    corrupts: "F:325-349 uvm_anonget (UVM_UNLOCK_AND_WAIT on the busy page, L2)",
    edits: [
      edit(
        "impl/uvm/fault/upper/anonget.ts",
        'yield* sleep({ kind: "pageWait", site: "U4 anonget busy page", page, epoch: page.busyEpoch });',
        'yield* sleep({ kind: "pause", site: "U4 anonget busy page (retry)" }); // forgets the wait channel: nothing waits for the busier',
      ),
    ],
  },
  {
    name: "canary-munlock-keeps-page-wiring",
    kind: "canary",
    description: "munlock drops the entries' wiring but never unwires their pages",
    corrupts: "uvm_map_pageable (uvm_map.c): uvm_map_entry_unwire of each entry",
    edits: [edit("impl/uvm/map-pageable.ts", ["entry.wiredCount = 0;", "faultUnwireLocked(uvm, map, entry.start, entry.end);"], "entry.wiredCount = 0;")],
  },
  {
    name: "canary-mlock-limit-enomem",
    kind: "canary",
    description: "mlock's limit check counts each page as a whole limit and refuses ranges of three pages or more with ENOMEM",
    corrupts: "sys_mlock (uvm_mmap.c): the RLIMIT_MEMLOCK check",
    edits: [
      edit("impl/kernel.ts", "return yield* this.mapRangeCommand(command);", [
        'if (command.kind === "mlock" && command.pages >= 3) return error("ENOMEM");',
        "return yield* this.mapRangeCommand(command);",
      ]),
    ],
  },
] as const satisfies readonly SourceVariant[];

export const uvmCanaries: readonly SourceVariant[] = [...coreCanaries, ...uvmSysvShmCanaries];
