//! What a loan holder holds: the result array of uvm_loan. A loan to the kernel holds pages
//! (each with one `loanCount` from this loan); a loan to anons holds anons (each with one
//! `references` from this loan). Outstanding loans are registered in `uvm.loans`, which the
//! G4 and G7 heap walks count from.

import type { Anon } from "../anon.ts";
import type { Page } from "../page.ts";
import type { Sleepy } from "../sleep.ts";
import type { Uvm } from "../uvm.ts";
import type { ThreadId } from "../../../vocabulary/units.ts";
import { unloanAnons, unloanPages } from "./unloan.ts";

export type LoanItems = { readonly to: "kernel"; readonly pages: readonly Page[] } | { readonly to: "anon"; readonly anons: readonly Anon[] };

export interface LoanRecord {
  readonly handle: number;
  readonly items: LoanItems;
  /**
   * The threads reading through the loan right now (a loanRead that sleeps in a swap-in or
   * on a busy page). The holder does not give back what it is reading from: an unloan waits
   * until they are done (sleep point `readersWait`).
   */
  readonly readers: ThreadId[];
}

/** What a loan operation has lent so far while it runs (it may sleep): the seed's `output` array. */
export interface LoanInProgress {
  readonly to: "kernel" | "anon";
  readonly pages: Page[];
  readonly anons: Anon[];
}

/** A loan an `unloan` is giving back, item by item (it may sleep between items): `returned` are back, the rest still lent. */
export interface ReturningLoan {
  readonly record: LoanRecord;
  returned: number;
}

/**
 * Gives back `items` with unloan, registered as returning while it runs (it may sleep between
 * items), so the heap walks count what is still lent.
 */
export function* giveBack(uvm: Uvm, items: LoanItems): Sleepy<void> {
  const returning: ReturningLoan = { record: { handle: 0, items, readers: [] }, returned: 0 };
  uvm.returningLoans.add(returning);
  if (items.to === "kernel") yield* unloanPages(uvm, items.pages, returning);
  else yield* unloanAnons(uvm, items.anons, returning);
  uvm.returningLoans.delete(returning);
}

/** The items a loan still holds: all of an outstanding one, the rest of a returning one. */
export function heldItems(loan: LoanRecord | ReturningLoan | LoanInProgress): LoanItems {
  if ("to" in loan) return loan.to === "kernel" ? { to: "kernel", pages: loan.pages } : { to: "anon", anons: loan.anons };
  if ("items" in loan) return loan.items;
  const items = loan.record.items;
  return items.to === "kernel" ? { to: "kernel", pages: items.pages.slice(loan.returned) } : { to: "anon", anons: items.anons.slice(loan.returned) };
}

export function loanLength(items: LoanItems): number {
  return items.to === "kernel" ? items.pages.length : items.anons.length;
}
