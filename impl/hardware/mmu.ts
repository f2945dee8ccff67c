//! The MMU: one pmap (translation table) per address space, plus machine-wide per-frame
//! state: the reverse map (which pmaps translate which virtual pages to a frame, the "pv
//! list" that makes pmap_page_protect possible) and the referenced/modified bits.
//!
//! A translation maps one virtual page to one frame with a protection and a wired bit. The
//! CPU (cpu.ts) uses it for every load and store; a missing translation, or one whose
//! protection lacks the access, traps. A store through a translation sets the frame's
//! modified bit; every access sets referenced.
//!
//! pmap_enter can be made to fail (FailureKind `pmapEnter`) when the caller passes
//! `canFail` (PMAP_CANFAIL); without it a failure would be a panic, so it never fails.
//!
//! Invariant: the reverse map and the pmaps agree both ways (checked by `verifyReverseMap`).

import { assert } from "../../vocabulary/assert.ts";
import { PROT_NONE, PROT_WRITE, type ProtectionBits } from "../../vocabulary/protection.ts";
import type { Vpn } from "../../vocabulary/units.ts";
import type { FailureInjector } from "./failure-injector.ts";
import type { FrameNumber } from "./units.ts";

export interface Translation {
  readonly frame: FrameNumber;
  readonly prot: ProtectionBits;
  readonly wired: boolean;
}

export interface EnterFlags {
  /** PMAP_WIRED */
  readonly wired: boolean;
  /** PMAP_CANFAIL */
  readonly canFail: boolean;
  /** The access that caused the entry (sets referenced/modified, as the seed's flags hint). */
  readonly access: ProtectionBits;
}

interface ReverseEntry {
  readonly pmap: Pmap;
  readonly va: Vpn;
}

export class Mmu {
  private readonly reverse: ReverseEntry[][];
  private readonly referenced: Uint8Array;
  private readonly modified: Uint8Array;
  private nextPmapId = 1;

  constructor(
    frameCount: number,
    readonly failures: FailureInjector,
  ) {
    this.reverse = Array.from({ length: frameCount }, (): ReverseEntry[] => []);
    this.referenced = new Uint8Array(frameCount);
    this.modified = new Uint8Array(frameCount);
  }

  createPmap(): Pmap {
    return new Pmap(this, this.nextPmapId++);
  }

  /** pmap_page_protect: lower every translation of `frame` to `prot` (NONE removes them). */
  pageProtect(frame: FrameNumber, prot: ProtectionBits): void {
    for (const entry of [...this.reverseEntries(frame)]) entry.pmap.protect(entry.va, entry.va + 1, prot);
  }

  /** pmap_clear_modify: clears the modified bit, returning whether it was set. */
  clearModify(frame: FrameNumber): boolean {
    const was = this.modified[frame] === 1;
    this.modified[frame] = 0;
    return was;
  }

  isModified(frame: FrameNumber): boolean {
    return this.modified[frame] === 1;
  }

  clearReference(frame: FrameNumber): boolean {
    const was = this.referenced[frame] === 1;
    this.referenced[frame] = 0;
    return was;
  }

  isReferenced(frame: FrameNumber): boolean {
    return this.referenced[frame] === 1;
  }

  /** Every (pmap, va) translating to `frame`. */
  reverseEntries(frame: FrameNumber): readonly ReverseEntry[] {
    const entries = this.reverse[frame];
    assert(entries !== undefined, () => `Mmu: no frame ${frame}`);
    return entries;
  }

  /** Called by the hardware when an access goes through a translation. */
  noteAccess(frame: FrameNumber, access: ProtectionBits): void {
    if (access !== PROT_NONE) this.referenced[frame] = 1;
    if ((access & PROT_WRITE) !== 0) this.modified[frame] = 1;
  }

  /** A new frame starts with clean bits (uvm_pagealloc hands out clean pages). */
  resetBits(frame: FrameNumber): void {
    this.referenced[frame] = 0;
    this.modified[frame] = 0;
  }

  addReverse(frame: FrameNumber, pmap: Pmap, va: Vpn): void {
    this.reverseEntries(frame);
    this.reverse[frame]!.push({ pmap, va });
  }

  removeReverse(frame: FrameNumber, pmap: Pmap, va: Vpn): void {
    const entries = this.reverse[frame]!;
    const index = entries.findIndex((entry) => entry.pmap === pmap && entry.va === va);
    assert(index >= 0, () => `Mmu: frame ${frame} has no reverse entry for pmap ${pmap.id} va ${va}`);
    entries.splice(index, 1);
  }

  /** Returns the first disagreement between the pmaps and the reverse map, or null. */
  verifyReverseMap(pmaps: readonly Pmap[]): string | null {
    let counted = 0;
    for (const pmap of pmaps) {
      for (const [va, translation] of pmap.translations()) {
        const entries = this.reverse[translation.frame]!;
        if (!entries.some((entry) => entry.pmap === pmap && entry.va === va)) {
          return `pmap ${pmap.id} va ${va} → frame ${translation.frame} missing from the reverse map`;
        }
        counted++;
      }
    }
    const total = this.reverse.reduce((sum, entries) => sum + entries.length, 0);
    return total === counted ? null : `reverse map holds ${total} entries, pmaps hold ${counted} translations`;
  }
}

export class Pmap {
  private readonly table = new Map<Vpn, Translation>();

  constructor(
    readonly mmu: Mmu,
    readonly id: number,
  ) {}

  /** pmap_enter: replaces any translation at `va`. Returns 0, or ENOMEM if `canFail` and resources ran out. */
  enter(va: Vpn, frame: FrameNumber, prot: ProtectionBits, flags: EnterFlags): 0 | "ENOMEM" {
    if (flags.canFail && this.mmu.failures.fails("pmapEnter")) return "ENOMEM";
    this.removeOne(va);
    this.table.set(va, { frame, prot, wired: flags.wired });
    this.mmu.addReverse(frame, this, va);
    this.mmu.noteAccess(frame, flags.access);
    return 0;
  }

  /** pmap_extract: the frame `va` translates to, or null. */
  extract(va: Vpn): FrameNumber | null {
    return this.table.get(va)?.frame ?? null;
  }

  translation(va: Vpn): Translation | undefined {
    return this.table.get(va);
  }

  /** pmap_remove over `[start, end)`. */
  remove(start: number, end: number): void {
    for (const va of this.vasIn(start, end)) this.removeOne(va);
  }

  /** pmap_protect over `[start, end)`: lowers protections; NONE removes. */
  protect(start: number, end: number, prot: ProtectionBits): void {
    for (const va of this.vasIn(start, end)) {
      const translation = this.table.get(va)!;
      const lowered = translation.prot & prot;
      if (lowered === PROT_NONE && prot === PROT_NONE) this.removeOne(va);
      else this.table.set(va, { ...translation, prot: lowered });
    }
  }

  /** pmap_unwire */
  unwire(va: Vpn): void {
    const translation = this.table.get(va);
    assert(translation !== undefined, () => `pmap_unwire: va ${va} not mapped`);
    this.table.set(va, { ...translation, wired: false });
  }

  /** Tears down every translation (pmap_destroy). */
  destroy(): void {
    this.remove(0, Number.MAX_SAFE_INTEGER);
  }

  translations(): IterableIterator<[Vpn, Translation]> {
    return this.table.entries();
  }

  get size(): number {
    return this.table.size;
  }

  private vasIn(start: number, end: number): Vpn[] {
    const vas: Vpn[] = [];
    for (const va of this.table.keys()) if (va >= start && va < end) vas.push(va);
    return vas;
  }

  private removeOne(va: Vpn): void {
    const old = this.table.get(va);
    if (old === undefined) return;
    this.table.delete(va);
    this.mmu.removeReverse(old.frame, this, va);
  }
}

export function allows(prot: ProtectionBits, access: ProtectionBits): boolean {
  return (prot & access) === access && access !== PROT_NONE;
}
