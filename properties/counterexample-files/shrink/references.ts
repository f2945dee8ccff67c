//! References between the commands of a counterexample, so that deleting or changing one
//! command renumbers what the others name, the way the system would.
//!
//! Pids, loan handles and the placement of mappings are chosen by the system, not by the
//! commands: delete a spawn and every later process gets a smaller pid; make a mapping
//! smaller and every later mapping moves down. A stored command holds concrete numbers,
//! so each reference field is annotated with its *origin*, the command that created the
//! name it holds (command-fields.ts says which commands create which names):
//!
//!   pid         the spawn or fork that returned it (init, pid 1, has no origin)
//!   loanHandle  the loan that returned it
//!   segment     the shmget that returned it
//!   va          the mmap, loanReceive or shmat whose mapping holds the page, and the page's
//!               offset in it; followed through fork (a child inherits its parent's
//!               pages), munmap and exit
//!
//! `resolveCommand` rewrites a command's annotated fields from what their origins created
//! in the run now going on; a field whose origin is gone, or created nothing, keeps its
//! number. Annotations are recomputed from each accepted run, so they are always those of
//! the current counterexample. Mistakes here cost shrinking power, never correctness: every
//! candidate is run and kept only if it fails the same way.

import type { Command, CommandKind } from "../../../vocabulary/command.ts";
import { commandSpecOf, fieldValue, withField } from "../../../vocabulary/command-fields.ts";
import type { Outcome } from "../../../vocabulary/outcome.ts";

export interface Origin {
  /** The `id` of the creating command. */
  readonly id: number;
  /** Added to what it created: the page's offset inside a mapping; 0 otherwise. */
  readonly offset: number;
}

export interface AnnotatedCommand {
  /** Unique within one counterexample; stable while commands are deleted. */
  readonly id: number;
  readonly command: Command;
  /** Origin per reference field name; fields without one hold plain numbers. */
  readonly origins: Readonly<Record<string, Origin>>;
}

/** Where each live process's mapped pages came from: pid → va → origin. */
type AddressSpaces = Map<number, Map<number, Origin>>;

interface Names {
  readonly pids: Map<number, number>;
  readonly handles: Map<number, number>;
  /** Pages per loan handle (the extent of what loanReceive maps). */
  readonly loanPages: Map<number, number>;
  readonly spaces: AddressSpaces;
  readonly segments: Map<number, number>;
  /** Pages per segment id (the extent of what shmat maps). */
  readonly segmentPages: Map<number, number>;
}

const numberField = (command: Command, name: string) => Number(fieldValue(command, name));

function mapPages(spaces: AddressSpaces, pid: number, start: number, pages: number, id: number): void {
  const space = spaces.get(pid) ?? new Map<number, Origin>();
  spaces.set(pid, space);
  for (let offset = 0; offset < pages; offset++) space.set(start + offset, { id, offset });
}

function recordLoan(names: Names, command: Command, id: number, created: number | null): void {
  if (created === null) return;
  names.handles.set(created, id);
  names.loanPages.set(created, numberField(command, "pages"));
}

/** What a successful command does to the names later commands can use, by kind. */
const effects: Partial<Record<CommandKind, (names: Names, command: Command, id: number, created: number | null) => void>> = {
  spawn: (names, _command, id, created) => {
    if (created !== null) names.pids.set(created, id);
  },
  fork: (names, command, id, created) => {
    if (created === null) return;
    names.pids.set(created, id);
    names.spaces.set(created, new Map(names.spaces.get(numberField(command, "pid")) ?? []));
  },
  exit: (names, command) => names.spaces.delete(numberField(command, "pid")),
  mmap: (names, command, id, created) => {
    if (created !== null) mapPages(names.spaces, numberField(command, "pid"), created, numberField(command, "pages"), id);
  },
  munmap: (names, command) => {
    const space = names.spaces.get(numberField(command, "pid"));
    for (let offset = 0; offset < numberField(command, "pages"); offset++) space?.delete(numberField(command, "va") + offset);
  },
  loan: recordLoan,
  loanFile: recordLoan,
  loanReceive: (names, command, id, created) => {
    if (created === null) return;
    mapPages(names.spaces, numberField(command, "pid"), created, names.loanPages.get(numberField(command, "handle")) ?? 1, id);
  },
  shmget: (names, command, id, created) => {
    if (created === null) return;
    names.segments.set(created, id);
    names.segmentPages.set(created, numberField(command, "pages"));
  },
  shmat: (names, command, id, created) => {
    if (created === null) return;
    mapPages(names.spaces, numberField(command, "pid"), created, names.segmentPages.get(numberField(command, "segment")) ?? 1, id);
  },
};

function originsOf(command: Command, names: Names): Record<string, Origin> {
  const origins: Record<string, Origin> = {};
  for (const field of commandSpecOf(command.kind)?.fields ?? []) {
    const value = numberField(command, field.name);
    const creator =
      field.type === "pid"
        ? names.pids.get(value)
        : field.type === "loanHandle"
          ? names.handles.get(value)
          : field.type === "segment"
            ? names.segments.get(value)
            : field.type === "va"
              ? names.spaces.get(numberField(command, "pid"))?.get(value)
              : undefined;
    if (creator === undefined) continue;
    origins[field.name] = typeof creator === "number" ? { id: creator, offset: 0 } : creator;
  }
  return origins;
}

/**
 * Annotates a run: `outcomes[i]` is what command i returned (null if it did not complete).
 * Ensures: ids are the positions; every origin names an earlier command.
 */
export function annotate(commands: readonly Command[], outcomes: readonly (Outcome | null)[]): AnnotatedCommand[] {
  const names: Names = { pids: new Map(), handles: new Map(), loanPages: new Map(), spaces: new Map(), segments: new Map(), segmentPages: new Map() };
  return commands.map((command, id) => {
    const origins = originsOf(command, names);
    const outcome = outcomes[id] ?? null;
    const succeeded = outcome !== null && outcome.kind !== "error";
    const created = outcome !== null && outcome.kind === "value" ? outcome.value : null;
    if (succeeded) effects[command.kind]?.(names, command, id, created);
    return { id, command, origins };
  });
}

/** `item`'s command with each annotated field rewritten from `created` (id → name created in this run). */
export function resolveCommand(item: AnnotatedCommand, created: ReadonlyMap<number, number>): Command {
  let command = item.command;
  for (const [name, origin] of Object.entries(item.origins)) {
    const base = created.get(origin.id);
    if (base !== undefined) command = withField(command, name, base + origin.offset);
  }
  return command;
}

/** `item` with field `name` set to a plain `value` (no longer following an origin). */
export function withPlainField(item: AnnotatedCommand, name: string, value: unknown): AnnotatedCommand {
  const { [name]: _dropped, ...origins } = item.origins;
  return { ...item, command: withField(item.command, name, value), origins };
}
