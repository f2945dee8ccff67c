// The repository's own source files, read and parsed for the structure tests (layering.test.ts,
// tidy.test.ts): which files there are, their syntax trees (@babel/parser, TypeScript syntax),
// the imports each one makes, and its comments.
//
// Paths are relative to the repository root, with `/` separators. Folders that hold no source
// of ours (node_modules, git's, temporary files) are never walked.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { parse } from "@babel/parser";

export const repositoryRoot = join(import.meta.dirname, "..", "..");

/** Folders never walked: dependencies, version control, scratch output. */
const skippedFolders: ReadonlySet<string> = new Set(["node_modules", ".git", "tmp", ".vitest-cache"]);
const sourceExtension = /\.(ts|mts|cts|mjs|js|cjs)$/;

/** Every file below the root whose name ends in `extension` (a regular expression on the name), sorted. */
export function filesMatching(extension: RegExp): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(join(repositoryRoot, folder), { withFileTypes: true })) {
      const path = folder === "" ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory() && !skippedFolders.has(entry.name)) walk(path);
      else if (entry.isFile() && extension.test(entry.name)) found.push(path);
    }
  };
  walk("");
  return found.sort();
}

/** Every TypeScript and JavaScript source file of the repository. */
export function sourceFiles(): string[] {
  return filesMatching(sourceExtension);
}

export function readSource(path: string): string {
  return readFileSync(join(repositoryRoot, path), "utf8");
}

/** A node of the syntax tree, as far as these tests look at it. */
export interface SyntaxNode {
  readonly type: string;
  readonly loc: { readonly start: { readonly line: number }; readonly end: { readonly line: number } };
  readonly [field: string]: unknown;
}

export interface ParsedSource {
  readonly path: string;
  readonly text: string;
  readonly program: SyntaxNode;
  readonly comments: readonly { readonly value: string; readonly loc: SyntaxNode["loc"] }[];
}

const parsed = new Map<string, ParsedSource>();

/** Requires: `path` is a source file. Ensures: its syntax tree and comments (cached). */
export function parseSource(path: string): ParsedSource {
  const known = parsed.get(path);
  if (known !== undefined) return known;
  const text = readSource(path);
  const file = parse(text, { sourceType: "module", plugins: ["typescript"], sourceFilename: path });
  const result: ParsedSource = { path, text, program: file.program as unknown as SyntaxNode, comments: (file.comments ?? []) as unknown as ParsedSource["comments"] };
  parsed.set(path, result);
  return result;
}

/** Calls `visit` on every node below `node` (itself included), parents before children. */
export function walkSyntax(node: SyntaxNode, visit: (node: SyntaxNode, parent: SyntaxNode | null) => void, parent: SyntaxNode | null = null): void {
  visit(node, parent);
  for (const [field, value] of Object.entries(node)) {
    if (field === "loc" || value === null || typeof value !== "object") continue;
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) if (isNode(child)) walkSyntax(child, visit, node);
  }
}

function isNode(value: unknown): value is SyntaxNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string" && "loc" in value;
}

/** One import of a module: where it is written and what it names. */
export interface ImportSite {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  /** The imported file, relative to the root, for a relative specifier; null for a package. */
  readonly target: string | null;
}

/** The static imports, re-exports and literal dynamic imports of `path`. */
export function importsOf(path: string): ImportSite[] {
  const sites: ImportSite[] = [];
  const note = (node: SyntaxNode, source: unknown) => {
    if (!isNode(source) || source.type !== "StringLiteral") return;
    const specifier = String(source.value);
    const target = specifier.startsWith(".") ? normalize(join(dirname(path), specifier)).split("\\").join("/") : null;
    sites.push({ file: path, line: node.loc.start.line, specifier, target });
  };
  walkSyntax(parseSource(path).program, (node) => {
    if (node.type === "ImportDeclaration" || node.type === "ExportNamedDeclaration" || node.type === "ExportAllDeclaration") note(node, node.source);
    else if (node.type === "ImportExpression") note(node, node.source);
    else if (node.type === "CallExpression" && (node.callee as SyntaxNode).type === "Import") note(node, (node.arguments as unknown[])[0]);
  });
  return sites;
}
