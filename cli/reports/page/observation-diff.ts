//! The implementation's observation against the model's, as a tree to unfold: processes by
//! pid, their pages by va, each page's attributes and words; files by number, their pages
//! and words; loans by handle, their pages and words. Every node says whether it is the
//! same on both sides, differs, or exists on one side only; a leaf that differs carries
//! both values. Lists of records are matched by their key (pid, va, handle), not by
//! position, so one missing page does not make every page after it differ.

export type DiffStatus = "same" | "differs" | "model only" | "implementation only";

export interface DiffNode {
  readonly label: string;
  readonly status: DiffStatus;
  /** For a leaf: the values as text (absent on the side that lacks it). */
  readonly model?: string;
  readonly implementation?: string;
  readonly children: readonly DiffNode[];
}

const keys = ["pid", "va", "handle"] as const;

function keyOf(value: unknown): string | null {
  if (typeof value !== "object" || value === null) return null;
  const record = value as Record<string, unknown>;
  const key = keys.find((name) => typeof record[name] === "number");
  return key === undefined ? null : `${key} ${record[key] as number}`;
}

function isLeaf(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return true;
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item !== "object" || item === null);
}

function leafText(value: unknown): string {
  return Array.isArray(value) ? `[${value.join(", ")}]` : String(value);
}

function oneSided(label: string, value: unknown, status: "model only" | "implementation only"): DiffNode {
  const side = status === "model only" ? { model: leafText(isLeaf(value) ? value : "…") } : { implementation: leafText(isLeaf(value) ? value : "…") };
  return { label, status, ...side, children: [] };
}

/** Labelled children of an object or array: records by their key, other elements by index. */
function entriesOf(value: unknown, parent: string): [string, unknown][] {
  if (Array.isArray(value)) {
    const element = parent === "files" ? "file" : parent === "pages" || parent.startsWith("file ") ? "page" : "#";
    return value.map((item, index) => [keyOf(item) ?? `${element} ${index}`, item]);
  }
  return Object.entries(value as Record<string, unknown>).filter(([name]) => !(keys as readonly string[]).includes(name));
}

function words(model: readonly unknown[], implementation: readonly unknown[]): DiffNode[] {
  const length = Math.max(model.length, implementation.length);
  return Array.from({ length }, (_, index) => diffValue(`word ${index}`, model[index], implementation[index]));
}

/** Ensures: a node whose status is `same` exactly when the two values are equal. */
export function diffValue(label: string, model: unknown, implementation: unknown): DiffNode {
  if (model === undefined) return oneSided(label, implementation, "implementation only");
  if (implementation === undefined) return oneSided(label, model, "model only");
  const numbers = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === "number");
  if (numbers(model) && numbers(implementation) && (model as number[]).length + (implementation as number[]).length > 0) {
    const children = words(model as number[], implementation as number[]);
    const status = children.every((child) => child.status === "same") ? "same" : "differs";
    return { label, status, model: leafText(model), implementation: leafText(implementation), children };
  }
  if (isLeaf(model) || isLeaf(implementation)) {
    const same = JSON.stringify(model) === JSON.stringify(implementation);
    return { label, status: same ? "same" : "differs", model: leafText(model), implementation: leafText(implementation), children: [] };
  }
  const modelEntries = new Map(entriesOf(model, label));
  const implementationEntries = new Map(entriesOf(implementation, label));
  const labels = [...new Set([...modelEntries.keys(), ...implementationEntries.keys()])];
  const children = labels.map((name) => diffValue(name, modelEntries.get(name), implementationEntries.get(name)));
  return { label, status: children.every((child) => child.status === "same") ? "same" : "differs", children };
}

/**
 * How many leaves differ under `node` (itself, if a leaf).
 * Ensures: 0 exactly when `node` is the same on both sides.
 */
export function differingLeaves(node: DiffNode): number {
  if (node.children.length === 0) return node.status === "same" ? 0 : 1;
  return node.children.reduce((sum, child) => sum + differingLeaves(child), 0);
}
