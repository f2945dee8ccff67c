//! Reading a command back from plain JSON data (a counterexample file), strictly.
//!
//! Every field of every kind is checked against the table in command-fields.ts: present,
//! of its type, and nothing else besides. A problem is a `CommandParseError` naming the
//! exact place (`commands[3].backing.offset: expected a non-negative integer, got -1`).
//! Numbers are checked for their spelling only (integers where integers are meant), not
//! for their range: a page count of 0 or a word past the end of a page is a legal command
//! whose outcome is EINVAL, and counterexamples may well hold one.
//!
//! The command returned is canonical: `kind` first, then the fields in table order, so a
//! command that went through `parseCommand` serializes the same way every time.

import type { Backing, Command, ThreadOperationKind } from "./command.ts";
import { commandKinds, threadOperationKinds } from "./command.ts";
import { commandSpecOf, type FieldType } from "./command-fields.ts";
import { failureKinds } from "./failure.ts";
import { advices, inheritances, protections } from "./protection.ts";

export class CommandParseError extends Error {
  override readonly name = "CommandParseError";
}

type FieldParser = (data: unknown, where: string) => unknown;

function spelled(data: unknown): string {
  if (data === undefined) return "nothing";
  const text = JSON.stringify(data);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function nonNegativeInteger(data: unknown, where: string): number {
  if (typeof data !== "number" || !Number.isSafeInteger(data) || data < 0) {
    throw new CommandParseError(`${where}: expected a non-negative integer, got ${spelled(data)}`);
  }
  return data;
}

function integer(data: unknown, where: string): number {
  if (typeof data !== "number" || !Number.isSafeInteger(data)) throw new CommandParseError(`${where}: expected an integer, got ${spelled(data)}`);
  return data;
}

function flag(data: unknown, where: string): boolean {
  if (typeof data !== "boolean") throw new CommandParseError(`${where}: expected true or false, got ${spelled(data)}`);
  return data;
}

function oneOf<T extends string>(names: readonly T[]): FieldParser {
  return (data, where) => {
    if (typeof data !== "string" || !names.includes(data as T)) {
      throw new CommandParseError(`${where}: expected one of ${names.map((name) => `"${name}"`).join(", ")}, got ${spelled(data)}`);
    }
    return data;
  };
}

/** Ensures: `data` is a plain object, with exactly `keys` unless `keys` is null. */
export function expectObject(data: unknown, where: string, keys: readonly string[] | null): Readonly<Record<string, unknown>> {
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new CommandParseError(`${where}: expected an object, got ${spelled(data)}`);
  const record = data as Readonly<Record<string, unknown>>;
  if (keys === null) return record;
  for (const key of Object.keys(record)) if (!keys.includes(key)) throw new CommandParseError(`${where}: unexpected field "${key}"`);
  for (const key of keys) if (!Object.hasOwn(record, key)) throw new CommandParseError(`${where}.${key}: missing`);
  return record;
}

function backing(data: unknown, where: string): Backing {
  const kind = expectObject(data, where, null).kind;
  if (kind === "anon" || kind === "reserved") {
    expectObject(data, where, ["kind"]);
    return { kind };
  }
  if (kind !== "file") throw new CommandParseError(`${where}.kind: expected one of "anon", "reserved", "file", got ${spelled(kind)}`);
  const record = expectObject(data, where, ["kind", "file", "offset"]);
  return { kind: "file", file: nonNegativeInteger(record.file, `${where}.file`), offset: nonNegativeInteger(record.offset, `${where}.offset`) } as Backing;
}

const fieldParsers: Readonly<Record<FieldType, FieldParser>> = {
  pid: nonNegativeInteger,
  va: nonNegativeInteger,
  pageCount: nonNegativeInteger,
  word: nonNegativeInteger,
  value: integer,
  file: nonNegativeInteger,
  filePage: nonNegativeInteger,
  protection: oneOf(protections),
  inheritance: oneOf(inheritances),
  advice: oneOf(advices),
  sharing: oneOf(["shared", "private"]),
  backing,
  loanHandle: nonNegativeInteger,
  loanIndex: nonNegativeInteger,
  loanTarget: oneOf(["kernel", "anon"]),
  frameCount: nonNegativeInteger,
  failureKind: oneOf(failureKinds),
  thread: nonNegativeInteger,
  operation,
  segment: nonNegativeInteger,
  flag,
};

/** A thread's operation: a command of one of the kinds threads run (nested starts are refused). */
function operation(data: unknown, where: string): Command {
  const kind = expectObject(data, where, null).kind;
  if (!threadOperationKinds.includes(kind as ThreadOperationKind)) {
    throw new CommandParseError(`${where}.kind: expected an operation a thread runs (${threadOperationKinds.join(", ")}), got ${spelled(kind)}`);
  }
  return parseCommand(data, where);
}

/**
 * Requires: `where` names `data` for messages. Ensures: a canonical command of a known kind
 * with every field of its type, or a CommandParseError naming the first problem.
 */
export function parseCommand(data: unknown, where: string): Command {
  const kind = expectObject(data, where, null).kind;
  if (typeof kind !== "string") throw new CommandParseError(`${where}.kind: expected a command kind, got ${spelled(kind)}`);
  const spec = commandSpecOf(kind);
  if (spec === undefined) throw new CommandParseError(`${where}.kind: unknown command kind "${kind}" (known: ${commandKinds.join(", ")})`);
  const record = expectObject(data, where, ["kind", ...spec.fields.map((field) => field.name)]);
  const command: Record<string, unknown> = { kind };
  for (const field of spec.fields) command[field.name] = fieldParsers[field.type](record[field.name], `${where}.${field.name}`);
  return command as unknown as Command;
}
