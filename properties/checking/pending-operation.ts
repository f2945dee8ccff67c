//! A thread operation the linearizer (linearizer.ts) has seen start and not yet complete:
//! what it learnt of the operation's window so far (the outcomes allowed without an effect,
//! the device failures possible), and what a failed outcome of it explains.

import { produce } from "immer";
import { consumeFailure, failurePossible, type Losable } from "../../model/failures.ts";
import type { ModelState } from "../../model/state.ts";
import type { ThreadOperation } from "../../vocabulary/command.ts";
import { type Outcome, outcomeEquals } from "../../vocabulary/outcome.ts";
import type { ThreadId } from "../../vocabulary/units.ts";
import type { Configuration } from "./configurations.ts";
import { stateMayBeShort } from "./earned-enomem.ts";
import { dataRead } from "./same-step-losses.ts";

export interface PendingOperation {
  readonly thread: ThreadId;
  readonly operation: ThreadOperation;
  /** Changes nothing visible: checked against the outcomes allowed anywhere in its window. */
  readonly readOnly: boolean;
  /**
   * The outcomes the model allows it, at some instant of its window, by a step that changes
   * nothing (a read's value; a write's EFAULT or ENOMEM): such a step may be taken at any of
   * those instants without forking a configuration.
   */
  readonly admissible: Outcome[];
  /** The device failures possible when it started (its I/O may have failed then, even if they are off by now). */
  readonly failuresAtStart: ModelState["failures"];
  /**
   * Whether, at some instant of its window, it passed its checks on the way to reading a
   * file page or a swap slot: the read may then be issued later (after a restart, after
   * waiting for memory) and fail with a failure possible only by then (`lateReadFailure`).
   */
  readsInWindow: boolean;
  /** Whether a swap read failure was possible at some instant of its window (armed or rated then). */
  swapReadInWindow: boolean;
  /**
   * The read failures possible at some instant of its window once `readsInWindow` held: a
   * read it issued then may have failed with one, used up (or cleared) before it completes.
   */
  readonly lateFailures: Set<"backingRead" | "swapRead">;
  /** Outcomes a device failure can explain at some instant of its window (EIO; a loan's EINVAL). */
  readonly failureOutcomes: Outcome[];
  /** The data it would read when it started (a read, a loan's read): what its failed swap-in destroys. */
  readonly dataAtStart: readonly Losable[];
}

const readOnlyKinds: ReadonlySet<string> = new Set(["read", "fileRead", "loanRead"]);

/** `operation`, started on `thread` in `states` (the first one's device failures); nothing learnt yet. */
export function startedOperation(thread: ThreadId, operation: ThreadOperation, states: readonly ModelState[]): PendingOperation {
  const readOnly = readOnlyKinds.has(operation.kind);
  const failuresAtStart = states[0]!.failures;
  const dataAtStart = states.flatMap((state) => dataRead(state, operation));
  return { thread, operation, readOnly, admissible: [], failuresAtStart, readsInWindow: false, swapReadInWindow: false, lateFailures: new Set(), failureOutcomes: [], dataAtStart };
}

/**
 * Whether `returned` may report that `operation`'s swap-in failed, destroying the data for
 * every process and loan sharing it (the observation then adopts that loss, model/failures.ts):
 * a failure outcome (EIO; a loan's EINVAL) of an operation that, at some instant of its
 * window, could have failed so, or passed its checks on the way to a device read while a
 * swap read failure was possible (it may have issued the read after the data was shared by
 * a fork and unmapped by its own process: fixed-loan-swapin-loss-after-fork).
 */
export function swapInFailed(operation: PendingOperation, returned: Outcome): boolean {
  if (returned.kind !== "error") return false;
  const atStart = operation.failuresAtStart.rated.swapRead === true || (operation.failuresAtStart.armed.swapRead ?? 0) > 0;
  if (atStart && (operation.readOnly ? returned.errno === "EIO" : operation.failureOutcomes.some((outcome) => outcomeEquals(outcome, returned)))) return true;
  const failedRead = returned.errno === "EIO" || (returned.errno === "EINVAL" && operation.operation.kind === "loan");
  return failedRead && operation.readsInWindow && operation.swapReadInWindow;
}

/** The device reads a thread's operation may issue after a wait (the allowance `lateReadFailure`). */
const readFailureKinds = ["backingRead", "swapRead"] as const;

/** Notes the read failures possible in `state`, an instant of `pending`'s window, once it has passed its checks on the way to a device read. */
export function noteLateFailures(pending: PendingOperation, state: ModelState): void {
  if (!pending.readsInWindow) return;
  for (const kind of readFailureKinds) if (failurePossible(state, kind)) pending.lateFailures.add(kind);
}

/**
 * The configurations (with `operation` not taken effect) where a read failure explains its
 * EIO: it passed its checks earlier in its window and issued the read later (after a
 * restart, after waiting for memory or a lock). A failure possible now is used up; one
 * possible only at an earlier instant since it passed its checks was used up, or cleared,
 * after the read that met it was issued (counterexamples/
 * fixed-late-read-failure-cleared-before-completion.json). What a swap read failure
 * destroyed shows in the next observation.
 */
export function lateReadFailures(configurations: readonly Configuration[], operation: PendingOperation, returned: Outcome): Configuration[] {
  if (!operation.readsInWindow || returned.kind !== "error" || returned.errno !== "EIO") return [];
  const late: Configuration[] = [];
  for (const configuration of configurations) {
    if (configuration.promised.has(operation.thread)) continue;
    let metEarlier = false;
    for (const kind of readFailureKinds) {
      if (failurePossible(configuration.state, kind)) late.push({ ...configuration, state: produce(configuration.state, (draft) => consumeFailure(draft, kind)) });
      else metEarlier ||= operation.lateFailures.has(kind);
    }
    if (metEarlier) late.push(configuration);
  }
  return late;
}

/**
 * The configurations (with `operation` not taken effect) where its ENOMEM is a late one: it
 * passed its checks earlier in its window on the way to a device read (which needs a frame)
 * and found memory short only later, when its page may no longer be accessible as it was
 * (an mprotect meanwhile: counterexamples/fixed-late-enomem-after-mprotect.json). Memory
 * must be short now (earned-enomem.ts), with `pending` other operations on threads.
 */
export function lateExhaustion(configurations: readonly Configuration[], operation: PendingOperation, returned: Outcome, pending: number): Configuration[] {
  if (!operation.readsInWindow || returned.kind !== "error" || returned.errno !== "ENOMEM") return [];
  return configurations.filter((configuration) => !configuration.promised.has(operation.thread) && stateMayBeShort(configuration.state, pending));
}
