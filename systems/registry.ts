//! The systems uvmcheck knows by name. `--system NAME` picks one; `--system PATH` loads a
//! user's module instead (see docs/pluggable-systems.md).

import type { SystemFactory } from "../vocabulary/system-under-test.ts";
import { dragonflySystem } from "./dragonfly.ts";
import { uvmSystem } from "./uvm.ts";

export const builtInSystems: ReadonlyMap<string, SystemFactory> = new Map([
  [uvmSystem.name, uvmSystem],
  [dragonflySystem.name, dragonflySystem],
]);
