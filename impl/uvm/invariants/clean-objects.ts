//! G13 clean objects: a vnode the kernel believes clean (not on the syncer worklist, so
//! writes through shared mappings must fault first) has only clean pages and no writable
//! mapping of them. Otherwise a write could go unnoticed and be lost at pageout.

import { isDirty, mappedWritable } from "../vnode.ts";
import type { HeapInvariant, UvmHeap } from "./heap.ts";

export const cleanObjects: HeapInvariant = {
  name: "G13 clean-objects",
  check({ uvm }: UvmHeap): string | null {
    for (const vnode of uvm.vnodes) {
      if (!vnode.isClean()) continue;
      for (const page of vnode.pages.values()) {
        if (isDirty(uvm, page)) return `${vnode.name} is clean but holds dirty ${page.describe()}`;
        if (mappedWritable(uvm, page)) return `${vnode.name} is clean but ${page.describe()} is mapped writable`;
      }
    }
    return null;
  },
};
