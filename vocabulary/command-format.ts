//! One command on one line, for traces and reports: the kind, then `field=value` in table
//! order (command-fields.ts). A backing prints as `anon`, `reserved` or `file0@2` (file 0
//! from its page 2).
//!
//!   mmap pid=1 pages=2 prot=rw maxprot=rw backing=file0@2 sharing=private inherit=copy advice=normal
//!   write pid=1 va=0 word=3 value=7
//!   start thread=1 operation=(read pid=1 va=0 word=0)

import type { Command } from "./command.ts";
import { commandSpecOf, fieldValue } from "./command-fields.ts";

function formatValue(value: unknown): string {
  if (typeof value === "object" && value !== null && "kind" in value && commandSpecOf(String(value.kind)) !== undefined) return `(${formatCommand(value as Command)})`;
  if (typeof value === "object" && value !== null && "kind" in value) {
    const backing = value as { readonly kind: string; readonly file?: number; readonly offset?: number };
    return backing.kind === "file" ? `file${backing.file}@${backing.offset}` : backing.kind;
  }
  return String(value);
}

/** Ensures: one line, no trailing space. */
export function formatCommand(command: Command): string {
  const spec = commandSpecOf(command.kind);
  if (spec === undefined) return JSON.stringify(command);
  return [command.kind, ...spec.fields.map((field) => `${field.name}=${formatValue(fieldValue(command, field.name))}`)].join(" ");
}
