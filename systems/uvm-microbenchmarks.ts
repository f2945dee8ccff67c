//! Microbenchmarks of the UVM implementation's two hottest paths, for `uvmcheck bench`
//! (bench/ reaches impl/ only through systems/): each sets up one process with one resident
//! anonymous page, then times `operations` repetitions of
//!
//!   case-1A fault      the translation removed (pmap_remove), then a read: uvm_fault finds
//!                      the anon resident in the amap (seed F:1215-1307, case 1A) and maps it
//!   resident read hit  a read through a translation that is there: no fault at all
//!
//! and checks that the path taken was the one named (the fault.1A counter rose by exactly
//! `operations`; the hits took no fault), so a figure never measures another path. Each
//! timing first takes the path untimed a quarter as many times: bench interleaves its cases,
//! and the JIT must re-optimise a path the cases between two samples drove with other shapes.

import { UvmMachine } from "../impl/uvm-system.ts";
import { assert } from "../vocabulary/assert.ts";
import type { Command } from "../vocabulary/command.ts";
import { pid, type Vpn, vpn, wordIndex } from "../vocabulary/units.ts";
import { defaultWorld } from "../vocabulary/world.ts";

/** A machine with pid 1 writing one anonymous page: the page is resident, its translation there. */
function residentAnonPage(): { machine: UvmMachine; va: Vpn } {
  const machine = new UvmMachine(defaultWorld, null, 1);
  const mapped = machine.apply({
    kind: "mmap",
    pid: pid(1),
    pages: 1,
    prot: "rw",
    maxprot: "rw",
    backing: { kind: "anon" },
    sharing: "private",
    inherit: "copy",
    advice: "normal",
  } as Command);
  assert(mapped.kind === "value", "residentAnonPage: mmap failed");
  const va = vpn(mapped.value);
  assert(machine.apply({ kind: "write", pid: pid(1), va, word: wordIndex(0), value: 7 }).kind === "ok", "residentAnonPage: write failed");
  return { machine, va };
}

function faultsTaken(machine: UvmMachine): number {
  let faults = 0;
  for (const [name, count] of machine.uvm.coverage.snapshot()) if (/^fault\.[12]/.test(name)) faults += count;
  return faults;
}

/**
 * Times `operations` case-1A faults. Ensures: seconds per fault (the translation's removal
 * included); exactly `operations` case-1A faults taken.
 */
export function timeCase1AFaults(operations: number, now: () => number): number {
  const { machine, va } = residentAnonPage();
  const pmap = machine.kernel.processes.get(pid(1))!.map.pmap;
  const read: Command = { kind: "read", pid: pid(1), va, word: wordIndex(0) };
  const fault = () => {
    pmap.remove(va, va + 1);
    machine.apply(read);
  };
  for (let operation = 0; operation < operations / 4; operation++) fault();
  const before = machine.uvm.coverage.count("fault.1A");
  const start = now();
  for (let operation = 0; operation < operations; operation++) fault();
  const seconds = (now() - start) / 1000;
  assert(machine.uvm.coverage.count("fault.1A") - before === operations, "timeCase1AFaults: not every read took a case-1A fault");
  return seconds / operations;
}

/** Times `operations` reads through a present translation. Ensures: seconds per read; no fault taken. */
export function timeResidentReadHits(operations: number, now: () => number): number {
  const { machine, va } = residentAnonPage();
  const read: Command = { kind: "read", pid: pid(1), va, word: wordIndex(0) };
  for (let operation = 0; operation < operations / 4; operation++) machine.apply(read);
  const before = faultsTaken(machine);
  const start = now();
  for (let operation = 0; operation < operations; operation++) machine.apply(read);
  const seconds = (now() - start) / 1000;
  assert(faultsTaken(machine) === before, "timeResidentReadHits: a read took a fault");
  return seconds / operations;
}
