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

export function loanLength(items: LoanItems): number {
  return items.to === "kernel" ? items.pages.length : items.anons.length;
}
