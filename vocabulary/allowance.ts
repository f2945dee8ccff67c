//! The model's allowances: what the model accepts only because UVM does things its own way.
//!
//! The model (model/) says what every command may return and leave behind. Most of it holds
//! for any kernel: a loan is a snapshot, a fork copies by inheritance, a failure shows as EIO.
//! A few rules exist because NetBSD UVM orders its work in a way another kernel need not: it
//! makes a private copy before it knows it can map it, allocates before it reads, reuses an
//! anon a loan already made. Each such rule is an *allowance*, named here once, with one line
//! saying what it lets a system do and the seed lines it comes from (docs/seeds.md says how
//! to read `F:nnn` and `L:nnn`).
//!
//! A system opts into the allowances it needs (`SystemFactory.allowances`); the model and the
//! checker grant only those, so a second system is held to the plainer rule wherever it does
//! not opt in. UVM opts into all of them but `copyBeforeRevalidation`, which is DragonFly's
//! own way. docs/semantics.md §7 lists where each is applied.

export type AllowanceName =
  | "zeroFillBeforePark"
  | "promotionBeforePark"
  | "wireCopiesBeforePark"
  | "copyKeptOnEnomem"
  | "copyLostBeforeUse"
  | "enomemBeforeEio"
  | "objectLoanReusesAnon"
  | "lateReadFailure"
  | "copyBeforeRevalidation";

export interface Allowance {
  readonly name: AllowanceName;
  /** What the model accepts with it, in one line. */
  readonly statement: string;
  /** Why UVM (or DragonFly) needs it: the seed lines that do it. */
  readonly reason: string;
}

export const allowances: readonly Allowance[] = [
  {
    name: "zeroFillBeforePark",
    statement: "a read, write or mlock parked on a thread may already have given the untouched private anonymous pages it touches their zero copy",
    reason: "the lower fault zero-fills a new anon into the amap (F:1610-1612) before pmap_enter, which may fail and sleep (F:2155-2195)",
  },
  {
    name: "promotionBeforePark",
    statement: "a write parked on a thread may already have promoted the page it stores to (a private copy of the same words)",
    reason: "uvmfault_promote puts the new anon in the amap before pmap_enter; a failed enter sleeps with the promotion kept (F:1471-1489, F:2155-2195)",
  },
  {
    name: "wireCopiesBeforePark",
    statement: "an mlock parked on a thread may already have made the private copies its wire faults promote, page by page",
    reason: "uvm_fault_wire faults one page at a time, each fault free to sleep after its promotion (F:2286-2295)",
  },
  {
    name: "copyKeptOnEnomem",
    statement: "an access that answers ENOMEM may leave behind the private copy its fault made (a read's zero copy, a write's promotion)",
    reason: "after the copy is in the amap, a failed pmap_enter returns ENOMEM when nothing is reclaimable, without undoing it (F:1479-1485, F:2184-2191)",
  },
  {
    name: "copyLostBeforeUse",
    statement: "the private copy an access just made may be paged out and lost before the access completes, which then answers EIO",
    reason: "a fault whose pmap_enter failed waits for memory with its new anon unbusied in the amap (F:1479-1488); the page daemon may swap it out meanwhile",
  },
  {
    name: "enomemBeforeEio",
    statement: "an access to anonymous data a device failure destroyed may answer ENOMEM instead of EIO",
    reason: "uvmfault_anonget allocates a page (F:355-366) before it reads the swap slot and finds it bad",
  },
  {
    name: "objectLoanReusesAnon",
    statement: "a loan to anons of an object page that an earlier loan to anons lent, still the same page, may hand out that earlier anon again",
    reason: "uvm_loanuobj and uvm_loanzero lend the anon already borrowing the page (L:762-776, L:899-908)",
  },
  {
    name: "lateReadFailure",
    statement: "an operation on a thread may answer EIO from a read it issued after a wait, even if its page is no longer accessible by then",
    reason: "the lower fault passes its checks, may sleep and restart, and returns pgo_get's error without relocking (F:1840-1850)",
  },
  {
    name: "copyBeforeRevalidation",
    statement: "a write parked on a thread may make its private copy after its mapping lost write permission, and keep it though the write then fails",
    reason: "DragonFly's vm_fault copies the page into the first object (D:677) before it re-validates the map (D:713), and keeps the copy when the new lookup refuses the write; UVM relocks and looks up again before it promotes",
  },
];

export const allowanceNames: readonly AllowanceName[] = allowances.map((allowance) => allowance.name);

/** UVM's allowances: every one but DragonFly's own; the default of a system that names none. */
export const uvmAllowanceNames: readonly AllowanceName[] = allowanceNames.filter((name) => name !== "copyBeforeRevalidation");

/** What is wrong with `value` as a list of allowances (null: nothing). */
export function allowancesProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return "must be an array of allowance names";
  const unknown = value.filter((name) => !allowanceNames.includes(name as AllowanceName));
  if (unknown.length > 0) return `names no allowance: ${unknown.map((name) => JSON.stringify(name)).join(", ")} (known: ${allowanceNames.join(", ")})`;
  return null;
}
