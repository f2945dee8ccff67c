// A worker thread of `uvmcheck run --jobs N` (a tinypool pool). Worker threads do not inherit
// the main thread's loader on Node 20, so this one registers it again (cli/loader.mjs) before
// the TypeScript task module comes in.
import "./loader.mjs";

const { runInWorker } = await import("./campaign-task.ts");

export default runInWorker;
