// A system module for the command line tests: UVM without the loans family (fake-systems.ts).
import { uvmWithout } from "./fake-systems.ts";

export default uvmWithout(["loans"]);
