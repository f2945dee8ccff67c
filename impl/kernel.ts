//! The system-call layer: turns each vocabulary command into kernel work and an outcome.
//!
//! It checks arguments the way the NetBSD system calls do (uvm_mmap.c; impl/argument-checks.ts), keeps the
//! process table, and runs user loads and stores through the CPU: an access that traps goes
//! to the fault handler and is retried, exactly like hardware. A fault that succeeds but
//! leaves the access trapping is a bug (bug F12's endless refault) and is reported.

import { AssertionFailure, assert, assertNever } from "../vocabulary/assert.ts";
import type {
  ClearFailures,
  Command,
  FailNext,
  FileRead,
  FileWrite,
  Madvise,
  Minherit,
  Mlock,
  Mmap,
  Mprotect,
  Munlock,
  Munmap,
  PageRange,
  Pageout,
  Read,
  Shmat,
  Shmget,
  Shmrm,
  Write,
} from "../vocabulary/command.ts";
import { error, ok, type Outcome, value } from "../vocabulary/outcome.ts";
import { PROT_READ, PROT_WRITE, protectionBits } from "../vocabulary/protection.ts";
import { type Pid, pid as toPid, type ThreadId } from "../vocabulary/units.ts";
import { load, store } from "./hardware/cpu.ts";
import { createAddressSpace, destroyAddressSpace, type Process } from "./process-table.ts";
import { type Status, toErrno } from "./uvm/errors.ts";
import { uvmFault } from "./uvm/fault/fault.ts";
import { uvmMapAdvice, uvmMapInherit, uvmMapProtect, uvmMmap, uvmUnmap } from "./uvm/map-operations.ts";
import { uvmMapUnwire, uvmMapWire } from "./uvm/map-pageable.ts";
import { uvmspaceFork } from "./uvm/fork.ts";
import { runPageDaemon } from "./uvm/page-daemon.ts";
import type { Sleepy } from "./uvm/sleep.ts";
import { fileRead, fileWrite } from "./uvm/ubc.ts";
import type { Uvm } from "./uvm/uvm.ts";
import type { VmMap } from "./uvm/map.ts";
import type { Vnode } from "./uvm/vnode.ts";
import { LoanCalls } from "./loan-calls.ts";
import {
  ACCESS_RETRIES,
  accessRefusal,
  failNextRefusal,
  fileAccessRefusal,
  mmapRefusal,
  pageoutTarget,
  rangeRefusal,
  shmgetRefusal,
} from "./argument-checks.ts";
import { shmAttach, shmCreate, shmRemove } from "./uvm/sysv-shm.ts";

export class Kernel {
  readonly processes = new Map<Pid, Process>();
  /** Address spaces forks in progress are building, by forking thread: not processes yet, but they hold references. */
  readonly embryos = new Map<ThreadId, VmMap>();
  private nextPid = 1;
  private readonly loans: LoanCalls;

  constructor(readonly uvm: Uvm) {
    this.spawnProcess();
    this.loans = new LoanCalls(uvm, this.processes);
  }

  *apply(command: Command): Sleepy<Outcome> {
    switch (command.kind) {
      case "spawn":
        return this.processes.size >= this.uvm.world.maxProcesses ? error("EAGAIN") : value(this.spawnProcess());
      case "fork":
        return yield* this.fork(command.pid);
      case "exit":
        return yield* this.exit(command.pid);
      case "mmap":
        return yield* this.mmap(command);
      case "munmap":
      case "mprotect":
      case "minherit":
      case "madvise":
      case "mlock":
      case "munlock":
        return yield* this.mapRangeCommand(command);
      case "read":
      case "write":
        return yield* this.userAccess(command);
      case "fileRead":
      case "fileWrite":
        return yield* this.fileAccess(command);
      case "fileEvict":
      case "loan":
      case "loanFile":
      case "loanRead":
      case "loanReceive":
      case "unloan":
        return yield* this.loans.apply(command);
      case "shmget":
      case "shmat":
      case "shmrm":
        return yield* this.sysvShm(command);
      case "pageout":
      case "failNext":
      case "clearFailures":
        return this.machineCommand(command);
      case "start":
      case "resume":
        throw new AssertionFailure(`${command.kind}: scheduling commands are the scheduler's (impl/scheduler.ts)`);
      default:
        return assertNever(command, "command");
    }
  }

  /** The commands on a range of one process's map: munmap, mprotect, minherit, madvise, mlock, munlock. */
  private *mapRangeCommand(command: Munmap | Mprotect | Minherit | Madvise | Mlock | Munlock): Sleepy<Outcome> {
    switch (command.kind) {
      case "munmap":
        return yield* this.rangeCommand(command, function* (uvm, process, start, end) {
          yield* uvmUnmap(uvm, process.map, start, end);
          return 0;
        });
      case "mprotect":
        return yield* this.rangeCommand(command, function* (uvm, process, start, end) {
          return yield* uvmMapProtect(uvm, process.map, start, end, protectionBits(command.prot));
        });
      case "minherit":
        return yield* this.rangeCommand(command, function* (uvm, process, start, end) {
          yield* uvmMapInherit(uvm, process.map, start, end, command.inherit);
          return 0;
        });
      case "madvise":
        return yield* this.rangeCommand(command, function* (uvm, process, start, end) {
          yield* uvmMapAdvice(uvm, process.map, start, end, command.advice);
          return 0;
        });
      case "mlock":
        return yield* this.rangeCommand(command, function* (uvm, process, start, end) {
          const status = yield* uvmMapWire(uvm, process.map, start, end);
          return status === "EFAULT" ? "ENOMEM" : status;
        });
      case "munlock":
        return yield* this.rangeCommand(command, function* (uvm, process, start, end) {
          const status = yield* uvmMapUnwire(uvm, process.map, start, end);
          return status === "EFAULT" ? "ENOMEM" : status;
        });
      default:
        return assertNever(command, "map range command");
    }
  }

  /** SysV shared memory (uvm/sysv-shm.ts): the segment table is `uvm.shmSegments`. */
  private *sysvShm(command: Shmget | Shmat | Shmrm): Sleepy<Outcome> {
    switch (command.kind) {
      case "shmget": {
        const refusal = shmgetRefusal(command, this.uvm.world, this.uvm.shmSegments.size);
        return refusal === null ? value(shmCreate(this.uvm, command.pages)) : error(refusal);
      }
      case "shmat": {
        const process = this.processes.get(command.pid);
        if (process === undefined) return error("ESRCH");
        const object = this.uvm.shmSegments.get(command.segment);
        if (object === undefined) return error("EINVAL");
        const va = yield* shmAttach(this.uvm, process.map, object, command.readOnly ? PROT_READ : PROT_READ | PROT_WRITE);
        return va === null ? error("ENOMEM") : value(va);
      }
      case "shmrm":
        return (yield* shmRemove(this.uvm, command.segment)) ? ok : error("EINVAL");
      default:
        return assertNever(command, "SysV shared memory command");
    }
  }

  /** The commands on the machine itself: the page daemon and planned hardware failures. */
  private machineCommand(command: Pageout | FailNext | ClearFailures): Outcome {
    switch (command.kind) {
      case "pageout": {
        const target = pageoutTarget(command, this.uvm.world);
        if (target === null) return error("EINVAL");
        runPageDaemon(this.uvm, target);
        return ok;
      }
      case "failNext": {
        const refusal = failNextRefusal(command);
        if (refusal !== null) return error(refusal);
        this.uvm.machine.failures.armNext(command.failure);
        return ok;
      }
      case "clearFailures":
        this.uvm.machine.failures.disarmAll();
        return ok;
      default:
        return assertNever(command, "machine command");
    }
  }

  private spawnProcess(): Pid {
    const pid = toPid(this.nextPid++);
    this.processes.set(pid, { pid, map: createAddressSpace(this.uvm, `pid${pid}`) });
    return pid;
  }

  private *fork(parentPid: Pid): Sleepy<Outcome> {
    const parent = this.processes.get(parentPid);
    if (parent === undefined) return error("ESRCH");
    if (this.processes.size >= this.uvm.world.maxProcesses) return error("EAGAIN");
    const forker = this.uvm.thread;
    const map = createAddressSpace(this.uvm, `fork by thread ${forker}`);
    this.embryos.set(forker, map);
    const status = yield* uvmspaceFork(this.uvm, parent.map, map);
    this.embryos.delete(forker);
    // the child gets its pid when it is born: another fork may have finished meanwhile
    const full = this.processes.size >= this.uvm.world.maxProcesses;
    if (status !== 0 || full) {
      yield* destroyAddressSpace(this.uvm, map);
      return error(status !== 0 ? toErrno(status) : "EAGAIN");
    }
    const childPid = toPid(this.nextPid++);
    map.name = `pid${childPid}`;
    this.processes.set(childPid, { pid: childPid, map });
    return value(childPid);
  }

  private *exit(pid: Pid): Sleepy<Outcome> {
    const process = this.processes.get(pid);
    if (process === undefined) return error("ESRCH");
    this.processes.delete(pid);
    yield* destroyAddressSpace(this.uvm, process.map);
    return ok;
  }

  /** sys_mmap's checks (uvm_mmap.c 1.144), then uvm_map. */
  private *mmap(command: Mmap): Sleepy<Outcome> {
    const process = this.processes.get(command.pid);
    if (process === undefined) return error("ESRCH");
    const vnode = command.backing.kind === "file" ? (this.uvm.vnodes[command.backing.file] as Vnode | undefined) : undefined;
    const refusal = mmapRefusal(command, this.uvm.world, vnode?.pageCount ?? null);
    if (refusal !== null) return error(refusal);
    const file = vnode !== undefined && command.backing.kind === "file" ? { vnode, offset: command.backing.offset } : null;
    const va = yield* uvmMmap(this.uvm, process.map, {
      pages: command.pages,
      protection: protectionBits(command.prot),
      maxProtection: protectionBits(command.maxprot),
      file,
      reserved: command.backing.kind === "reserved",
      shared: command.sharing === "shared",
      inheritance: command.inherit,
      advice: command.advice,
    });
    return va === null ? error("ENOMEM") : value(va);
  }

  private *rangeCommand(range: PageRange, operation: (uvm: Uvm, process: Process, start: number, end: number) => Sleepy<Status>): Sleepy<Outcome> {
    const process = this.processes.get(range.pid);
    if (process === undefined) return error("ESRCH");
    const refusal = rangeRefusal(range, this.uvm.world);
    if (refusal !== null) return error(refusal);
    const status = yield* operation(this.uvm, process, range.va, range.va + range.pages);
    return status === 0 ? ok : error(toErrno(status));
  }

  /** A user load or store: through the MMU; a trap runs the fault handler and the access is retried. */
  private *userAccess(command: Read | Write): Sleepy<Outcome> {
    const process = this.processes.get(command.pid);
    if (process === undefined) return error("ESRCH");
    const world = this.uvm.world;
    const refusal = accessRefusal(command, world);
    if (refusal !== null) return error(refusal);
    const memory = this.uvm.machine.memory;
    const pmap = process.map.pmap;
    for (let attempt = 0; attempt < ACCESS_RETRIES; attempt++) {
      const inRange = command.va >= 0 && command.va < world.vaPages;
      const result = !inRange
        ? null
        : command.kind === "read"
          ? load(memory, pmap, command.va, command.word)
          : store(memory, pmap, command.va, command.word, command.value);
      if (result !== null && result.kind === "done") return command.kind === "read" ? value(result.value) : ok;
      const access = command.kind === "read" ? PROT_READ : PROT_WRITE;
      const status = yield* uvmFault(this.uvm, process.map, command.va, access, 0);
      if (status !== 0) return error(toErrno(status));
    }
    assert(false, () => `pid ${command.pid} va ${command.va}: access still traps after ${ACCESS_RETRIES} successful faults`);
  }

  private *fileAccess(command: FileRead | FileWrite): Sleepy<Outcome> {
    const vnode = this.uvm.vnodes[command.file] as Vnode | undefined;
    const refusal = fileAccessRefusal(command, this.uvm.world, vnode !== undefined);
    if (refusal !== null || vnode === undefined) return error(refusal ?? "EINVAL");
    if (command.kind === "fileRead") {
      const read = yield* fileRead(this.uvm, vnode, command.page, command.word);
      return read.status === 0 ? value(read.value) : error(toErrno(read.status));
    }
    const status = yield* fileWrite(this.uvm, vnode, command.page, command.word, command.value);
    return status === 0 ? ok : error(toErrno(status));
  }
}
