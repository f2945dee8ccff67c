//! Canonical names: processes merged where one will do, files numbered in order of first
//! use and their pages from 0.
//!
//! Pids, pages of mappings and loan handles need no renumbering of their own: references.ts
//! makes every candidate use the names the system hands out, which are canonical by
//! construction (pids from 2 in creation order, mappings at the lowest free address,
//! handles from 1). What is left:
//!
//!   processes   a spawned or forked process whose commands could as well run in the
//!               process it came from (init for a spawn, the parent for a fork): its
//!               creation is deleted and its commands renamed
//!   files       file ids renumbered 0, 1, ... in order of first use; each file's page
//!               numbers shifted down so its least used page is 0
//!
//! Each renaming is one candidate, kept only if it fails the same way.

import type { Command } from "../../../vocabulary/command.ts";
import { commandSpecOf, fieldValue, withField } from "../../../vocabulary/command-fields.ts";
import { type Candidate, type Effort, type Shrinking, attempt } from "./attempt.ts";
import { type AnnotatedCommand, withPlainField } from "./references.ts";

/** `commands` with the process `creator` made folded into the one it came from. */
function mergedInto(commands: readonly AnnotatedCommand[], creator: AnnotatedCommand): AnnotatedCommand[] {
  const parentOrigin = creator.command.kind === "fork" ? creator.origins.pid : undefined;
  const parentPid = creator.command.kind === "fork" ? Number(fieldValue(creator.command, "pid")) : 1;
  return commands
    .filter((item) => item.id !== creator.id)
    .map((item) => {
      let renamed = item;
      for (const field of commandSpecOf(item.command.kind)?.fields ?? []) {
        if (field.type !== "pid" || renamed.origins[field.name]?.id !== creator.id) continue;
        renamed = withPlainField(renamed, field.name, parentPid);
        if (parentOrigin !== undefined) renamed = { ...renamed, origins: { ...renamed.origins, [field.name]: parentOrigin } };
      }
      return renamed;
    });
}

/** Tries to fold each spawned or forked process into its origin, last first. Ensures: never longer. */
export function* mergeProcesses(current: Candidate, effort: Effort): Shrinking<Candidate> {
  for (let index = current.commands.length - 1; index >= 0; index--) {
    const creator = current.commands[index];
    if (creator === undefined || commandSpecOf(creator.command.kind)?.creates !== "pid") continue;
    const accepted = yield* attempt(current.setup, mergedInto(current.commands, creator), current.violation, current.commands.length - 1, effort);
    if (accepted !== null) current = accepted;
  }
  return current;
}

interface FileUse {
  readonly file: number;
  /** The least page of it any command names. */
  leastPage: number;
}

/** Each file's page field and file field, as [file field, page field] names, per command. */
function filePlaces(command: Command): [string, string][] {
  const fields = commandSpecOf(command.kind)?.fields ?? [];
  const file = fields.find((field) => field.type === "file");
  const page = fields.find((field) => field.type === "filePage");
  return file === undefined ? [] : [[file.name, page?.name ?? ""]];
}

function fileUses(commands: readonly AnnotatedCommand[]): Map<number, FileUse> {
  const uses = new Map<number, FileUse>();
  const use = (file: number, page: number | null) => {
    const known = uses.get(file) ?? { file, leastPage: Number.POSITIVE_INFINITY };
    if (page !== null) known.leastPage = Math.min(known.leastPage, page);
    uses.set(file, known);
  };
  for (const { command } of commands) {
    for (const [fileField, pageField] of filePlaces(command))
      use(Number(fieldValue(command, fileField)), pageField === "" ? null : Number(fieldValue(command, pageField)));
    const backing = fieldValue(command, "backing") as { kind: string; file?: number; offset?: number } | undefined;
    if (backing?.kind === "file") use(backing.file!, backing.offset!);
  }
  return uses;
}

/** `command` with files renamed by `rank` and their pages shifted by the file's least page. */
function renamedFiles(command: Command, uses: ReadonlyMap<number, FileUse>, rank: ReadonlyMap<number, number>): Command {
  const shift = (file: number) => (Number.isFinite(uses.get(file)!.leastPage) ? uses.get(file)!.leastPage : 0);
  let renamed = command;
  for (const [fileField, pageField] of filePlaces(command)) {
    const file = Number(fieldValue(command, fileField));
    renamed = withField(renamed, fileField, rank.get(file));
    if (pageField !== "") renamed = withField(renamed, pageField, Number(fieldValue(command, pageField)) - shift(file));
  }
  const backing = fieldValue(command, "backing") as { kind: string; file?: number; offset?: number } | undefined;
  if (backing?.kind === "file")
    renamed = withField(renamed, "backing", { kind: "file", file: rank.get(backing.file!), offset: backing.offset! - shift(backing.file!) });
  return renamed;
}

/** Renumbers files canonically, if that changes anything and keeps the failure. Ensures: never longer. */
export function* renumberFiles(current: Candidate, effort: Effort): Shrinking<Candidate> {
  const uses = fileUses(current.commands);
  const rank = new Map([...uses.keys()].map((file, index) => [file, index]));
  const commands = current.commands.map((item) => ({ ...item, command: renamedFiles(item.command, uses, rank) }));
  if (JSON.stringify(commands.map((item) => item.command)) === JSON.stringify(current.commands.map((item) => item.command))) return current;
  return (yield* attempt(current.setup, commands, current.violation, current.commands.length, effort)) ?? current;
}
