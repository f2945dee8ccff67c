//! Simplifying arguments: smaller numbers, fewer pages, and the plainest choice of each
//! named option, one field at a time, keeping a change only if the counterexample still
//! fails the same way.
//!
//! "Simpler" is a well-founded order per field type, so simplification ends:
//!
//!   numbers       smaller, never below the type's least sensible value (1 page, value 1,
//!                 pid 1; 0 for indices); tried smallest first, then halfway, and so on
//!                 up to one less
//!   named options in the order of the defaults: prot rw, r, w, none; inherit copy,
//!                 share, none; advice normal, random, sequential; private before shared;
//!                 a loan to the kernel before one to anons; failure kinds in the
//!                 order vocabulary/failure.ts lists them
//!   backing       anon, then reserved, then a file with a smaller id or offset
//!   flag          false before true (shmat read-write before read-only)
//!
//! A reference field that follows an origin (references.ts) keeps it: the system chooses
//! those numbers. Only a page's offset inside its mapping gets smaller (page 3 of a mapping
//! becomes page 0 of it), so the mapping itself can then get smaller.

import { commandSpecOf, type FieldType, fieldValue } from "../../../vocabulary/command-fields.ts";
import { failureKinds } from "../../../vocabulary/failure.ts";
import { type Candidate, type Effort, type Shrinking, attempt } from "./attempt.ts";
import { type AnnotatedCommand, withPlainField } from "./references.ts";

/** Integers in [least, value), least first, then ever closer to `value`. */
export function smallerIntegers(value: number, least: number): number[] {
  const result: number[] = [];
  for (let distance = value - least; distance >= 1; distance = Math.floor(distance / 2)) result.push(value - distance);
  return [...new Set(result)];
}

function earlierNames(order: readonly string[]): (value: unknown) => unknown[] {
  return (value) => {
    const index = order.indexOf(String(value));
    return index <= 0 ? [] : order.slice(0, index);
  };
}

function simplerBackings(value: unknown): unknown[] {
  const backing = value as { readonly kind: string; readonly file?: number; readonly offset?: number };
  if (backing.kind === "anon") return [];
  if (backing.kind === "reserved") return [{ kind: "anon" }];
  const file = backing.file ?? 0;
  const offset = backing.offset ?? 0;
  return [
    { kind: "anon" },
    { kind: "reserved" },
    ...smallerIntegers(file, 0).map((smaller) => ({ kind: "file", file: smaller, offset })),
    ...smallerIntegers(offset, 0).map((smaller) => ({ kind: "file", file, offset: smaller })),
  ];
}

const numbersFrom = (least: number) => (value: unknown) => smallerIntegers(Number(value), least);

/** For each field type, the simpler values to try, simplest first. */
const simplerValues: Readonly<Record<FieldType, (value: unknown) => unknown[]>> = {
  pid: numbersFrom(1),
  va: numbersFrom(0),
  pageCount: numbersFrom(1),
  word: numbersFrom(0),
  value: numbersFrom(1),
  file: numbersFrom(0),
  filePage: numbersFrom(0),
  protection: earlierNames(["rw", "r", "w", "none"]),
  inheritance: earlierNames(["copy", "share", "none"]),
  advice: earlierNames(["normal", "random", "sequential"]),
  sharing: earlierNames(["private", "shared"]),
  backing: simplerBackings,
  loanHandle: numbersFrom(1),
  loanIndex: numbersFrom(0),
  loanTarget: earlierNames(["kernel", "anon"]),
  frameCount: numbersFrom(0),
  failureKind: earlierNames(failureKinds),
  thread: numbersFrom(1),
  operation: () => [], // a thread's operation is simplified as a whole: by deleting the start
  segment: numbersFrom(1),
  flag: (value) => (value === true ? [false] : []),
};

/** `item` with field `name` simpler: a plain simpler value, or an earlier page of the same mapping. */
function simplerItems(item: AnnotatedCommand, name: string, type: FieldType): AnnotatedCommand[] {
  const origin = item.origins[name];
  if (origin === undefined) return simplerValues[type](fieldValue(item.command, name)).map((simpler) => withPlainField(item, name, simpler));
  return smallerIntegers(origin.offset, 0).map((offset) => ({ ...item, origins: { ...item.origins, [name]: { id: origin.id, offset } } }));
}

/** Simplifies field `name` of command `index` as far as one pass goes. */
function* simplifyField(current: Candidate, index: number, name: string, type: FieldType, effort: Effort): Shrinking<Candidate> {
  for (const simpler of simplerItems(current.commands[index]!, name, type)) {
    const commands = current.commands.map((other, position) => (position === index ? simpler : other));
    const accepted = yield* attempt(current.setup, commands, current.violation, current.commands.length, effort);
    if (accepted !== null) return accepted;
  }
  return current;
}

/** One pass over every field of every command. Ensures: never longer; every change simpler. */
export function* simplifyArguments(current: Candidate, effort: Effort): Shrinking<Candidate> {
  for (let index = 0; index < current.commands.length; index++) {
    const fields = commandSpecOf(current.commands[index]!.command.kind)?.fields ?? [];
    for (const field of fields) {
      if (index >= current.commands.length) break;
      current = yield* simplifyField(current, index, field.name, field.type, effort);
    }
  }
  return current;
}
