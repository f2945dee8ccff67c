// The measurements behind test/tidy.test.ts: long files, long functions, exports nobody
// uses, and file names in comments and docs that name nothing in the repository.
import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { filesMatching, parseSource, readSource, repositoryRoot, type SyntaxNode, sourceFiles, walkSyntax } from "./source-tree.ts";

export const FILE_LINES_MAX = 400;
export const FUNCTION_LINES_MAX = 70;

/** Lines of `text`, a final newline not counting as a line of its own. */
function lineCount(text: string): number {
  return text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
}

/** `path (N lines)` for every source file over FILE_LINES_MAX lines. */
export function longFiles(): string[] {
  return sourceFiles()
    .map((path) => ({ path, lines: lineCount(readSource(path)) }))
    .filter(({ lines }) => lines > FILE_LINES_MAX)
    .map(({ path, lines }) => `${path} (${lines} lines)`);
}

const functionTypes: ReadonlySet<string> = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression", "ClassMethod", "ClassPrivateMethod", "ObjectMethod"]);

/** The name a function goes by: its own, its variable's, its property's, or what it is passed to. */
function functionName(node: SyntaxNode, parent: SyntaxNode | null): string {
  const named = (key: unknown) => (typeof key === "object" && key !== null ? String((key as { name?: unknown; value?: unknown }).name ?? (key as { value?: unknown }).value ?? "?") : "?");
  if (node.id !== undefined && node.id !== null) return named(node.id);
  if (node.key !== undefined) return named(node.key);
  if (parent?.type === "VariableDeclarator") return named(parent.id);
  if (parent?.type === "ObjectProperty" || parent?.type === "ClassProperty") return named(parent.key);
  if (parent?.type === "CallExpression") return `a callback of ${calleeName(parent)}`;
  return "an anonymous function";
}

function calleeName(call: SyntaxNode): string {
  const callee = call.callee as SyntaxNode;
  if (callee.type === "Identifier") return String(callee.name);
  if (callee.type === "MemberExpression") return `${calleeName({ ...call, callee: callee.object as SyntaxNode } as SyntaxNode)}.${String((callee.property as { name?: unknown }).name)}`;
  if (callee.type === "CallExpression") return calleeName(callee);
  return "an expression";
}

/**
 * `path:line name (N lines)` for every function over FUNCTION_LINES_MAX lines, from its first
 * line to its last. A `describe` block's callback is a grouping of tests, not a function, and
 * is not measured (the tests inside it are).
 */
export function longFunctions(): string[] {
  const found: string[] = [];
  for (const path of sourceFiles()) {
    walkSyntax(parseSource(path).program, (node, parent) => {
      if (!functionTypes.has(node.type)) return;
      if (parent?.type === "CallExpression" && /^describe(\.|$)/.test(calleeName(parent))) return;
      const lines = node.loc.end.line - node.loc.start.line + 1;
      if (lines > FUNCTION_LINES_MAX) found.push(`${path}:${node.loc.start.line} ${functionName(node, parent)} (${lines} lines)`);
    });
  }
  return found;
}

/** The names `path` exports by name (not its default export). */
function exportedNames(path: string): { name: string; line: number }[] {
  const names: { name: string; line: number }[] = [];
  const program = parseSource(path).program;
  for (const statement of program.body as SyntaxNode[]) {
    if (statement.type !== "ExportNamedDeclaration") continue;
    const declaration = statement.declaration as SyntaxNode | null;
    if (declaration === null || declaration === undefined) {
      for (const specifier of statement.specifiers as SyntaxNode[]) {
        const exported = specifier.exported as { name?: string; value?: string };
        names.push({ name: exported.name ?? exported.value ?? "?", line: statement.loc.start.line });
      }
      continue;
    }
    if (declaration.type === "VariableDeclaration") {
      for (const declarator of declaration.declarations as SyntaxNode[]) {
        const id = declarator.id as { name?: string };
        if (id.name !== undefined) names.push({ name: id.name, line: declarator.loc.start.line });
      }
    } else if (declaration.id !== null && declaration.id !== undefined) {
      names.push({ name: String((declaration.id as { name: string }).name), line: declaration.loc.start.line });
    }
  }
  return names;
}

/**
 * `path:line name` for every named export referenced nowhere: no other source file mentions
 * it, and its own file only where it is declared. Such an export is dead code.
 */
export function unusedExports(): string[] {
  const files = sourceFiles();
  const texts = new Map(files.map((path) => [path, readSource(path)]));
  const unused: string[] = [];
  for (const path of files) {
    for (const { name, line } of exportedNames(path)) {
      const word = `\\b${name.replace(/\$/g, "\\$")}\\b`;
      const usedElsewhere = files.some((other) => other !== path && new RegExp(word).test(texts.get(other)!));
      const usedHere = (texts.get(path)!.match(new RegExp(word, "g")) ?? []).length > 1;
      if (!usedElsewhere && !usedHere) unused.push(`${path}:${line} ${name}`);
    }
  }
  return unused;
}

/** A file name as comments and docs spell one: a path ending in one of our own file kinds. */
const fileNamePattern = /(?<![\w./-])((?:\.{1,2}\/)?\w[\w.-]*(?:\/[\w.-]+)*\.(?:ts|mjs|js|json|md))(?![\w/-])/g;

/** Words that look like file names and are not: a runtime's name. */
const notFileNames: ReadonlySet<string> = new Set(["Node.js"]);

/** Where `uvmcheck run` writes what it finds (cli/run-command.ts): files there are the reader's, never the repository's. */
const findingsFolder = "counterexamples/found";

/**
 * Names that stand for a file the reader makes, not one in the repository: a user's system
 * module in the docs' examples, placeholders in usage lines.
 */
export const hypotheticalFileNames: ReadonlySet<string> = new Set([
  "my-system.ts",
  "my-system.mjs",
  "mine.mjs",
  "nope.ts",
  "FILE.json",
  "FILE.shrunk.json",
]);

/** Whether `name`, written in `path`, names a file: from the root, from `path`'s folder, or by its base name anywhere. */
function resolves(name: string, path: string, basenames: ReadonlySet<string>): boolean {
  if (hypotheticalFileNames.has(basename(name)) || notFileNames.has(name) || name.startsWith(`${findingsFolder}/`)) return true;
  if (existsSync(join(repositoryRoot, name)) || existsSync(join(repositoryRoot, dirname(path), name))) return true;
  return !name.includes("/") && basenames.has(name);
}

/** Comment text of a source file; the whole text of a Markdown file. */
function proseOf(path: string): { text: string; line: number }[] {
  if (path.endsWith(".md")) return readSource(path).split("\n").map((text, index) => ({ text, line: index + 1 }));
  return parseSource(path).comments.flatMap((comment) => comment.value.split("\n").map((text, index) => ({ text, line: comment.loc.start.line + index })));
}

/** `path:line name` for every file name in a comment or a doc that names no file of the repository. */
export function danglingFileNames(): string[] {
  const documents = filesMatching(/\.md$/);
  const all = [...sourceFiles(), ...documents, ...filesMatching(/\.json$/)];
  const basenames = new Set(all.map((path) => basename(path)));
  const dangling: string[] = [];
  for (const path of [...sourceFiles(), ...documents]) {
    for (const { text, line } of proseOf(path)) {
      for (const match of text.matchAll(fileNamePattern)) {
        const name = match[1]!;
        if (/^https?:/.test(text.slice(Math.max(0, match.index! - 8), match.index!)) || text.includes(`://${name}`)) continue;
        if (!resolves(name, path, basenames)) dangling.push(`${path}:${line} ${name}`);
      }
    }
  }
  return dangling;
}
