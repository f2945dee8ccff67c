//! What a thread operation may already have done when it parks, before it takes effect: the
//! copies its first fault makes and never takes back. The linearizer (linearizer.ts) starts
//! a pending operation's configurations from each of these states. Each kind of early copy
//! is an allowance (vocabulary/allowance.ts): `zeroFillBeforePark`, `promotionBeforePark`,
//! `wireCopiesBeforePark`; a system without them parks before it copies, or copies only
//! when its operation takes effect.

import { withWriteCopy, withZeroFill } from "../../model/access-commands.ts";
import { allows, type ModelState } from "../../model/state.ts";
import { step } from "../../model/step.ts";
import type { ThreadOperation } from "../../vocabulary/command.ts";
import { PROT_READ, PROT_WRITE } from "../../vocabulary/protection.ts";

/**
 * The states an operation's first run may leave before it takes effect: `state`, and the
 * copies its first fault makes and never takes back. A read, write or mlock zero-fills the
 * untouched private anonymous pages it touches (what a read of each leaves); a write also
 * promotes the page it stores to (the same words, a copy of its own) before it stores. A
 * thread may park right after making them (a failed pmap_enter, an empty free list) and
 * the operation may still fail (an munmap meanwhile: EFAULT); they show only through
 * sharing (a later swap failure, a fork, a loan). It may also park before it makes them (a
 * map lock, no free frame), so `state` itself stays a possibility: then the copies are
 * made when the operation takes effect. Such copies can be made early because their
 * contents never change. An mlock's wire faults also promote, page by page, the private
 * pages locking gives copies of their own (the states its ENOMEM leaves), and may park
 * after any of them (fixed-mlock-copy-before-park).
 */
export function startStates(state: ModelState, operation: ThreadOperation): ModelState[] {
  if (operation.kind !== "read" && operation.kind !== "write" && operation.kind !== "mlock") return [state]; // a loan of an untouched page lends the zero page
  const filled = zeroFilled(state, operation);
  const states = filled === state ? [state] : [filled, state];
  if (operation.kind === "mlock") return allows(state, "wireCopiesBeforePark") ? [...states, ...states.flatMap((from) => wiredCopies(from, operation))] : states;
  if (operation.kind !== "write" || !allows(state, "promotionBeforePark")) return states;
  const copied = withWriteCopy(state, operation.pid, operation.va);
  return copied === state ? states : [...states, copied];
}

/**
 * The copies a pending operation's fault may make at any instant of its window, before it
 * takes effect: it may restart (a failed pmap_enter, an empty free list, a lock it had to
 * drop) and make them then. A write promotes the page it stores to, when a fork meanwhile
 * has shared it (fixed-write-copy-after-fork); a read, write or mlock zero-fills an untouched
 * anonymous page that a new mapping put where it faults (fixed-read-zero-fill-after-remap).
 * The linearizer offers them in every state of the window; a copy and the state it was made
 * from differ only in sharing, and copies made at different instants end in states equal up
 * to their names (canonical-state.ts), so offering them at every instant adds at most two
 * configurations per state.
 */
export function windowCopies(state: ModelState, operation: ThreadOperation): ModelState[] {
  const copies: ModelState[] = [];
  const filled = zeroFilled(state, operation);
  if (filled !== state) copies.push(filled);
  if (operation.kind !== "write" || !allows(state, "promotionBeforePark")) return copies;
  const copied = withWriteCopy(state, operation.pid, operation.va);
  return copied === state ? copies : [...copies, copied];
}

/**
 * `state` with the zero copies a read, write or mlock's fault gives the untouched anonymous
 * pages it touches (private, or a shared amap's empty slot: NetBSD's fault allocates the
 * anon there too), under `zeroFillBeforePark`; or `state` itself.
 */
function zeroFilled(state: ModelState, operation: ThreadOperation): ModelState {
  if ((operation.kind !== "read" && operation.kind !== "write" && operation.kind !== "mlock") || !allows(state, "zeroFillBeforePark")) return state;
  const needs = operation.kind === "read" ? PROT_READ : operation.kind === "write" ? PROT_WRITE : 0;
  const pages = "pages" in operation ? operation.pages : 1;
  let filled = state;
  for (let va = operation.va; va < operation.va + pages; va++) filled = withZeroFill(filled, operation.pid, va, needs);
  return filled;
}

/**
 * The copies an mlock's wire faults may have made before it parks: the states its pass 2
 * leaves when it stops for want of memory (uvm_map_pageable keeps the copies it made, and a
 * fault whose pmap_enter fails after promoting keeps its promotion, F:2155-2195), taken
 * whatever the contract allows: the copy is made either way.
 */
function wiredCopies(state: ModelState, operation: ThreadOperation): ModelState[] {
  return step(state, operation)
    .allowed.filter((entry) => entry.cause === "memoryExhausted" && entry.state !== state)
    .map((entry) => entry.state);
}
