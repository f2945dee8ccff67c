//! What a loan holder holds: the result array of uvm_loan. A loan to the kernel holds pages
//! (each with one `loanCount` from this loan); a loan to anons holds anons (each with one
//! `references` from this loan). Outstanding loans are registered in `uvm.loans`, which the
//! G4 and G7 heap walks count from.

import type { Anon } from "../anon.ts";
import type { Page } from "../page.ts";

export type LoanItems = { readonly to: "kernel"; readonly pages: readonly Page[] } | { readonly to: "anon"; readonly anons: readonly Anon[] };

export interface LoanRecord {
  readonly handle: number;
  readonly items: LoanItems;
}

/** A loan an `unloan` is giving back, item by item (it may sleep between items): `returned` are back, the rest still lent. */
export interface ReturningLoan {
  readonly record: LoanRecord;
  returned: number;
}

/** The items a loan still holds: all of an outstanding one, the rest of a returning one. */
export function heldItems(loan: LoanRecord | ReturningLoan): LoanItems {
  if ("items" in loan) return loan.items;
  const items = loan.record.items;
  return items.to === "kernel" ? { to: "kernel", pages: items.pages.slice(loan.returned) } : { to: "anon", anons: items.anons.slice(loan.returned) };
}

export function loanLength(items: LoanItems): number {
  return items.to === "kernel" ? items.pages.length : items.anons.length;
}
