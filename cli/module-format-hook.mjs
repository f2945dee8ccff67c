// A module-resolution hook (node:module register): which format a module outside
// node_modules is read in. Node reads a `.ts` or `.js` file outside a "type": "module"
// package as CommonJS; a user's system module written with `import`/`export` then fails to
// load ("Cannot require() ES Module ... in a cycle", "Unexpected token 'export'"), or loads
// a second copy of uvmcheck's own modules (whose classes then differ from the checker's).
// So, outside node_modules:
//
//   .ts, .tsx          always an ES module (TypeScript is written with import/export;
//                      `.cts` stays CommonJS)
//   .js with import    an ES module when a line starts with `import` or `export`
//   or export
//   anything else      as Node decides
const esmSyntax = /^\s*(import\s*[\w{*"'`]|import\s*\(|export\s)/m;

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (resolved.format !== "commonjs" || !resolved.url.startsWith("file:") || resolved.url.includes("/node_modules/")) return resolved;
  const path = fileURLToPath(resolved.url);
  if (/\.tsx?$/.test(path)) return { ...resolved, format: "module" };
  if (/\.js$/.test(path) && esmSyntax.test(readFileSync(path, "utf8"))) return { ...resolved, format: "module" };
  return resolved;
}
