//! JSON spelled for people: what fits on one line stays on one line (a command, the world,
//! the failure rates), anything bigger opens up one key or element per line. So a
//! counterexample file reads top to bottom with one command per line and diffs cleanly.
//! Deterministic: key order is insertion order; the same value always gives the same text.

/** Widest line, indentation included, that a value is kept on. */
const LINE_WIDTH = 200;

/** Requires: `value` is JSON data (no undefined, functions or cycles). */
export function formatJson(value: unknown, indent = ""): string {
  const compact = JSON.stringify(value);
  if (compact === undefined) throw new TypeError("formatJson: not JSON data");
  if (indent.length + compact.length <= LINE_WIDTH || typeof value !== "object" || value === null) return compact;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((element) => `${inner}${formatJson(element, inner)}`).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, field]) => field !== undefined);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([key, field]) => `${inner}${JSON.stringify(key)}: ${formatJson(field, inner)}`).join(",\n")}\n${indent}}`;
}
