// Global test configuration: fast-check runs are seeded so every test is deterministic, and
// immer keeps auto-freezing on, so an accidental mutation of model state throws in tests.
import fc from "fast-check";
import { setAutoFreeze } from "immer";

fc.configureGlobal({ seed: 42, numRuns: 100 });
setAutoFreeze(true);
