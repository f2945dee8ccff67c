// A worker thread of `uvmcheck mutants` (a tinypool pool). Worker threads do not inherit the
// main thread's loader on Node 20, so this one registers it again (cli/loader.mjs) before
// the TypeScript task module comes in.
import "./loader.mjs";

const { huntInWorker } = await import("./mutants-task.ts");

export default huntInWorker;
