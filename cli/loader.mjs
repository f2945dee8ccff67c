// Loads TypeScript for uvmcheck and for the system modules users write: tsx's loader, then
// cli/module-format-hook.mjs, which reads a user's `.ts` (and an ES-module `.js`) as an ES
// module wherever it lives, even in a folder whose package.json does not say
// "type": "module". Imported first by the command (uvmcheck.mjs) and by every worker thread.
import { register as registerHooks } from "node:module";
import { register } from "tsx/esm/api";

register();
registerHooks("./module-format-hook.mjs", import.meta.url);
