//! The loan commands: the kernel's side of lending (the holders of uvm_loan results), and
//! the file pager flush. Handles are handed out in increasing order, one per successful
//! loan, and registered in `uvm.loans`.

import { assertNever } from "../vocabulary/assert.ts";
import type { FileEvict, Loan, LoanFile, LoanRead, LoanReceive, Unloan } from "../vocabulary/command.ts";
import { error, ok, type Outcome, value } from "../vocabulary/outcome.ts";
import type { Pid } from "../vocabulary/units.ts";
import type { Process } from "./process-table.ts";
import { toErrno } from "./uvm/errors.ts";
import { mutexEnter } from "./uvm/lock.ts";
import { loanObjectPages } from "./uvm/loan/loan-object-pages.ts";
import { readLoanedAnon } from "./uvm/loan/loan-read.ts";
import { loanReceive } from "./uvm/loan/loan-receive.ts";
import { giveBack, type LoanItems, loanLength } from "./uvm/loan/loan-record.ts";
import { uvmLoan } from "./uvm/loan/loan.ts";
import { sleep, type Sleepy } from "./uvm/sleep.ts";
import type { Uvm } from "./uvm/uvm.ts";
import type { Vnode } from "./uvm/vnode.ts";

export class LoanCalls {
  constructor(
    private readonly uvm: Uvm,
    private readonly processes: ReadonlyMap<Pid, Process>,
  ) {}

  *apply(command: FileEvict | Loan | LoanFile | LoanRead | LoanReceive | Unloan): Sleepy<Outcome> {
    switch (command.kind) {
      case "loan":
        return yield* this.loan(command);
      case "loanFile":
        return yield* this.loanFile(command);
      case "loanRead":
        return yield* this.loanRead(command);
      case "loanReceive":
        return yield* this.receive(command);
      case "unloan":
        return yield* this.unloan(command);
      case "fileEvict":
        return yield* this.evict(command);
      default:
        return assertNever(command, "loan command");
    }
  }

  private register(items: LoanItems): Outcome {
    const handle = this.uvm.nextLoanHandle++;
    this.uvm.loans.set(handle, { handle, items, readers: [] });
    return value(handle);
  }

  private *loan(command: Loan): Sleepy<Outcome> {
    const process = this.processes.get(command.pid);
    if (process === undefined) return error("ESRCH");
    const valid = Number.isInteger(command.va) && Number.isInteger(command.pages) && command.va >= 0 && command.pages >= 1;
    if (!valid || command.va + command.pages > this.uvm.world.vaPages) return error("EINVAL");
    const lent = yield* uvmLoan(this.uvm, process.map, command.va, command.pages, command.to);
    return lent.status === 0 ? this.register(lent.items) : error(toErrno(lent.status));
  }

  private *loanFile(command: LoanFile): Sleepy<Outcome> {
    const vnode = this.uvm.vnodes[command.file] as Vnode | undefined;
    const valid = Number.isInteger(command.page) && Number.isInteger(command.pages) && command.page >= 0 && command.pages >= 1;
    if (vnode === undefined || !valid || command.page + command.pages > vnode.pageCount) return error("EINVAL");
    const lent = yield* loanObjectPages(this.uvm, vnode, command.page, command.pages);
    return lent.status === 0 ? this.register({ to: "kernel", pages: lent.pages }) : error(toErrno(lent.status));
  }

  private *loanRead(command: LoanRead): Sleepy<Outcome> {
    const record = this.uvm.loans.get(command.handle);
    const world = this.uvm.world;
    if (record === undefined || !Number.isInteger(command.index) || command.index < 0 || command.index >= loanLength(record.items)) return error("EINVAL");
    if (!Number.isInteger(command.word) || command.word < 0 || command.word >= world.pageWords) return error("EINVAL");
    if (record.items.to === "kernel") return value(this.uvm.machine.memory.read(record.items.pages[command.index]!.frame, command.word));
    const reader = this.uvm.thread;
    record.readers.push(reader);
    try {
      const read = yield* readLoanedAnon(this.uvm, record.items.anons[command.index]!, command.word);
      return read.status === 0 ? value(read.value) : error(toErrno(read.status));
    } finally {
      record.readers.splice(record.readers.indexOf(reader), 1);
    }
  }

  private *receive(command: LoanReceive): Sleepy<Outcome> {
    const process = this.processes.get(command.pid);
    if (process === undefined) return error("ESRCH");
    const record = this.uvm.loans.get(command.handle);
    if (record === undefined || record.items.to !== "anon") return error("EINVAL");
    const va = yield* loanReceive(this.uvm, process.map, record.items.anons);
    return va === null ? error("ENOMEM") : value(va);
  }

  private *unloan(command: Unloan): Sleepy<Outcome> {
    const record = this.uvm.loans.get(command.handle);
    if (record === undefined) return error("EINVAL");
    // The holder gives back a loan only when nobody reads through it (else a reader asleep
    // in a swap-in wakes holding an anon the loan no longer references).
    while (record.readers.length > 0) yield* sleep({ kind: "readersWait", site: "unloan: readers of the loan", readers: record.readers });
    if (this.uvm.loans.get(command.handle) !== record) return error("EINVAL");
    this.uvm.loans.delete(command.handle);
    yield* giveBack(this.uvm, record.items);
    return ok;
  }

  private *evict(command: FileEvict): Sleepy<Outcome> {
    const vnode = this.uvm.vnodes[command.file] as Vnode | undefined;
    if (vnode === undefined) return error("EINVAL");
    this.uvm.coverage.hit("file.evict");
    mutexEnter(this.uvm, vnode.lock);
    yield* vnode.put(this.uvm, 0, vnode.pageCount, { clean: true, free: true });
    return ok;
  }
}
