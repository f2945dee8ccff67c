//! uvm_init: the kernel's VM state on a fresh machine, with one vnode per file and the loan
//! zero object (uvm_loan_init).

import type { WorldConfig } from "../../vocabulary/world.ts";
import type { Machine } from "../hardware/machine.ts";
import { Uvm } from "./uvm.ts";
import type { SeedBugName } from "./seed-bugs.ts";
import { Vnode } from "./vnode.ts";
import { ZeroObject } from "./loan/zero-object.ts";

export function bootUvm(machine: Machine, world: WorldConfig, seedBug: SeedBugName | null): Uvm {
  const uvm = new Uvm(machine, world, seedBug);
  for (let file = 0; file < world.files; file++) {
    const vnode = new Vnode(uvm.nextObjectId++, file, world.filePages);
    uvm.vnodes.push(vnode);
    uvm.liveObjects.add(vnode);
  }
  uvm.zeroObject = new ZeroObject(uvm.nextObjectId++);
  uvm.liveObjects.add(uvm.zeroObject);
  return uvm;
}
