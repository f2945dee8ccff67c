// A worker thread of `uvmcheck mutants --jobs N` (a tinypool pool). Worker threads do not
// inherit tsx's loader on Node 20, so the TypeScript task module comes in through tsx's API.
import { tsImport } from "tsx/esm/api";

const { huntInWorker } = await tsImport("./mutants-task.ts", import.meta.url);

export default huntInWorker;
