//! The model's one pure step: `step(state, command)` → the allowed outcomes and next states.
//!
//! No clock, no randomness, no I/O, no knowledge of how a kernel would do it. Each command
//! family lives in its own file; this one dispatches. The checks every family shares (does
//! the process exist, is the range well formed) are in checks.ts.
//!
//! The model has no threads: every operation is one atomic step. `start` and `resume` only
//! schedule operations; the checker (properties/checking/linearizer.ts) decides where in its window
//! each thread's operation takes effect, and steps the model with the operation itself.

import { assertNever } from "../vocabulary/assert.ts";
import type { Command } from "../vocabulary/command.ts";
import { read, write, fileRead, fileWrite } from "./access-commands.ts";
import { madvise, minherit, mlock, mmap, mprotect, munlock, munmap } from "./mapping-commands.ts";
import { fileEvict, loan, loanFile, loanRead, loanReceive, unloan } from "./loan-commands.ts";
import { clearFailures, failNext, pageout } from "./machine-commands.ts";
import { exit, fork, spawn } from "./process-commands.ts";
import { shmat, shmget, shmrm } from "./shm-commands.ts";
import type { ModelState } from "./state.ts";
import type { Transition } from "./transition.ts";

export function step(state: ModelState, command: Command): Transition {
  switch (command.kind) {
    case "spawn":
      return spawn(state);
    case "fork":
      return fork(state, command);
    case "exit":
      return exit(state, command);
    case "mmap":
      return mmap(state, command);
    case "munmap":
      return munmap(state, command);
    case "mprotect":
      return mprotect(state, command);
    case "minherit":
      return minherit(state, command);
    case "madvise":
      return madvise(state, command);
    case "mlock":
      return mlock(state, command);
    case "munlock":
      return munlock(state, command);
    case "read":
      return read(state, command);
    case "write":
      return write(state, command);
    case "fileRead":
      return fileRead(state, command);
    case "fileWrite":
      return fileWrite(state, command);
    case "fileEvict":
      return fileEvict(state, command);
    case "loan":
      return loan(state, command);
    case "loanFile":
      return loanFile(state, command);
    case "loanRead":
      return loanRead(state, command);
    case "loanReceive":
      return loanReceive(state, command);
    case "unloan":
      return unloan(state, command);
    case "shmget":
      return shmget(state, command);
    case "shmat":
      return shmat(state, command);
    case "shmrm":
      return shmrm(state, command);
    case "pageout":
      return pageout(state, command);
    case "failNext":
      return failNext(state, command);
    case "clearFailures":
      return clearFailures(state, command);
    case "start":
    case "resume":
      throw new Error(`model: ${command.kind} is scheduling, not an operation (the checker steps the model with the operation)`);
    default:
      return assertNever(command, "command");
  }
}
