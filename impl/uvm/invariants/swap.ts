//! Swap and residency (G15-G16; pager notes I3, I6), recomputed from the heap:
//!
//!   swap slots  every slot is free, bad, or in use and held by exactly one anon or anonymous
//!               object page; nothing holds a free slot; swpgonly counts exactly the slots
//!               holding the only copy of some page (non-resident anons and aobj pages)
//!   G15         a wired anon or aobj page has no swap slot and is not CLEAN (it is never
//!               paged out, so its swap copy was given back when it was wired)
//!   G16         every anon somebody references has its data somewhere: a resident page, a
//!               swap slot, or the lost marker; a resident CLEAN anon page has its copy on swap

import { SWAP_SLOT_BAD, type SwapSlot } from "../../hardware/units.ts";
import { type Page, PG_CLEAN, PG_FAKE, PQ_ANON } from "../page.ts";
import type { HeapInvariant, UvmHeap } from "./heap.ts";

interface SlotHolder {
  readonly what: string;
  readonly resident: boolean;
}

function slotHolders({ uvm }: UvmHeap): Map<SwapSlot, SlotHolder[]> | string {
  const holders = new Map<SwapSlot, SlotHolder[]>();
  const hold = (slot: SwapSlot, holder: SlotHolder) => holders.set(slot, [...(holders.get(slot) ?? []), holder]);
  // a PG_FAKE page is still being read in from its slot (a parked swap-in): the slot holds the only copy
  const resident = (page: Page | null | undefined) => page !== null && page !== undefined && (page.flags & PG_FAKE) === 0;
  for (const anon of uvm.liveAnons) if (anon.swapSlot > 0) hold(anon.swapSlot, { what: `anon ${anon.id}`, resident: resident(anon.page) });
  for (const object of uvm.liveObjects) {
    if (object.kind !== "aobj") continue;
    for (const [offset, slot] of object.swapBacking()) {
      if (slot === SWAP_SLOT_BAD) continue;
      if (slot <= 0) return `${object.name}@${offset} records slot ${slot}`;
      hold(slot, { what: `${object.name}@${offset}`, resident: resident(object.pages.get(offset)) });
    }
  }
  return holders;
}

export const swapSlots: HeapInvariant = {
  name: "swap-slots",
  check(heap: UvmHeap): string | null {
    const holders = slotHolders(heap);
    if (typeof holders === "string") return holders;
    const swap = heap.uvm.swap;
    let onlyCopies = 0;
    for (let slot = 1; slot <= swap.slotCount; slot++) {
      const held = holders.get(slot as SwapSlot) ?? [];
      if (held.length > 1) return `swap slot ${slot} held by ${held.map((holder) => holder.what).join(" and ")}`;
      if (swap.isInUse(slot as SwapSlot) && held.length === 0) return `swap slot ${slot} in use but held by nothing (leaked)`;
      if (!swap.isInUse(slot as SwapSlot) && held.length > 0) return `${held[0]!.what} holds swap slot ${slot}, which is ${swap.isBad(slot as SwapSlot) ? "bad" : "free"}`;
      if (held.length === 1 && !held[0]!.resident) onlyCopies++;
    }
    for (const slot of holders.keys()) if (slot > swap.slotCount) return `swap slot ${slot} does not exist`;
    if (swap.onlyCopies !== onlyCopies) return `swpgonly is ${swap.onlyCopies}, but ${onlyCopies} slots hold a page's only copy`;
    return null;
  },
};

export const wiredPagesOffSwap: HeapInvariant = {
  name: "G15 wired-pages-off-swap",
  check({ uvm }: UvmHeap): string | null {
    for (const page of uvm.pages) {
      if (!page.allocated || page.wireCount === 0) continue;
      const slot = (page.pqFlags & PQ_ANON) !== 0 && page.anon !== null ? page.anon.swapSlot : page.object !== null ? page.object.swapSlotOf(page.offset) : 0;
      if (slot !== 0) return `wired ${page.describe()} still holds swap slot ${slot}`;
      if ((page.pqFlags & PQ_ANON) !== 0 || page.object?.kind === "aobj") {
        if ((page.flags & PG_CLEAN) !== 0) return `wired ${page.describe()} is CLEAN without a copy on swap`;
      }
    }
    return null;
  },
};

export const anonResidency: HeapInvariant = {
  name: "G16 anon-residency",
  check({ uvm }: UvmHeap): string | null {
    for (const anon of uvm.liveAnons) {
      if (anon.references === 0 || anon.spareOf !== null) continue; // a parked fault's spare holds no data yet
      if (anon.page === null && anon.swapSlot === 0) return `anon ${anon.id} (an_ref ${anon.references}) has neither a page nor a swap slot: its data is gone`;
      const page = anon.page;
      const readingIn = page !== null && (page.flags & PG_FAKE) !== 0; // a parked swap-in: the slot (or its loss) is the data
      if (page !== null && !readingIn && (page.pqFlags & PQ_ANON) !== 0 && (page.flags & PG_CLEAN) !== 0 && anon.swapSlot <= 0) {
        return `anon ${anon.id}'s ${page.describe()} is CLEAN but its data is on no swap slot`;
      }
    }
    return null;
  },
};
