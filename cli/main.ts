//! uvmcheck's command line. Each subcommand lives in its own file; this one wires them into
//! commander and maps failures to exit codes: 0 success, 1 a violation (or a surviving
//! mutant), 2 bad usage or bad input.

import { Command, CommanderError } from "commander";
import { defaultMaxCommands } from "../properties/hunting/campaign.ts";
import { benchCommand } from "./bench-command.ts";
import { diffCommand } from "./diff-command.ts";
import { mutantsCommand } from "./mutants-command.ts";
import { replayCommand } from "./replay-command.ts";
import { findingsFolder, runCommand } from "./run-command.ts";
import { shrinkCommand } from "./shrink-command.ts";
import { UsageError } from "./usage-error.ts";
import { variantsCommand } from "./variants-command.ts";

const systemHelp = "the system under test: a built-in name (uvm) or the path of a module exporting a SystemFactory; NAME:VARIANT switches a variant on";

function withCampaignFlags(command: Command): Command {
  return withWorldFlags(command.option("--system <spec>", systemHelp, "uvm").option("--variant <name>", "switch on one planted bug (see `uvmcheck variants`)"));
}

function withWorldFlags(command: Command): Command {
  return command
    .option("--frames <n>", "physical frames of the simulated machine")
    .option("--swap-slots <n>", "slots of the swap device")
    .option("--page-words <n>", "words per page")
    .option("--processes <n>", "most processes alive at once")
    .option("--liveness-bound <n>", "sleeps a thread may take while no other operation completes before it is a liveness failure");
}

/** `run` and `bench`: campaigns over one system. */
function addCampaignCommands(program: Command, setExit: (code: number) => void): void {
  withCampaignFlags(program.command("run").description("run a checking campaign"))
    .option("--runs <n>", "number of random command sequences", "300")
    .option("--seed <n>", "campaign seed (random if omitted; always printed)")
    .option("--max-commands <n>", "longest command sequence", String(defaultMaxCommands))
    .option("--ample", "the ample-memory property: 4096 frames and swap slots unless given, no failures; ENOMEM and EIO are violations")
    .option("--schedule <policy>", "thread scheduling: mixed (uniform or PCT, drawn per run), uniform, pct, or none (no threads)", "mixed")
    .option("--json", "print one JSON object on stdout")
    .option("--out <dir>", "where a counterexample file is written", findingsFolder)
    .action(async (flags) => setExit(await runCommand(flags)));
  withCampaignFlags(program.command("bench").description("measure checked, implementation-only and model-only throughput"))
    .option("--runs <n>", "runs of 60 commands in the stream", "200")
    .option("--seed <n>", "stream seed", "1")
    .option("--json", "print one JSON object on stdout")
    .action(async (flags) => setExit(await benchCommand(flags)));
}

/** `replay` and `shrink`: a counterexample file. */
function addFileCommands(program: Command, setExit: (code: number) => void): void {
  program
    .command("replay")
    .description("run a counterexample file's commands again: exit 1 if it still fails, 0 if it passes, 2 if the file is bad")
    .argument("<file>", "a counterexample file")
    .option("--trace", "a step-by-step trace: checks per step, the first divergence, the frames involved")
    .option("--json", "print one JSON object on stdout")
    .action(async (file: string, flags) => setExit(await replayCommand(file, flags)));
  program
    .command("shrink")
    .description("shrink a counterexample file further (1-minimal, simpler arguments, smaller world) into a new file")
    .argument("<file>", "a counterexample file")
    .option("--out <file>", "the new file (default: next to FILE, named *.shrunk.json)")
    .option("--json", "print one JSON object on stdout")
    .action(async (file: string, flags) => setExit(await shrinkCommand(file, flags)));
}

/** `diff`, `mutants` and `variants`: comparing systems, hunting and listing planted bugs. */
function addComparisonCommands(program: Command, setExit: (code: number) => void): void {
  withWorldFlags(program.command("diff").description("run two systems and the model on the same sequences; report the first divergence, shrunk"))
    .requiredOption("--a <spec>", "system A (see --system): uvm, uvm:VARIANT, PATH or PATH:VARIANT")
    .requiredOption("--b <spec>", "system B, same forms as --a")
    .option("--runs <n>", "number of random command sequences", "300")
    .option("--seed <n>", "campaign seed (random if omitted; always printed)")
    .option("--max-commands <n>", "longest command sequence", "60")
    .option("--ample", "ample-memory contract: the model does not allow ENOMEM")
    .option("--json", "print one JSON object on stdout")
    .action(async (flags) => setExit(await diffCommand(flags)));
  withWorldFlags(program.command("mutants").description("the mutation report: hunt every mutant with the default campaign until its first violation"))
    .option("--system <spec>", systemHelp, "uvm")
    .option("--only <names>", "hunt only these variants (comma-separated; any kind)")
    .option("--all-variants", "hunt every canary and seed-bug variant too")
    .option("--budget-seconds <s>", "wall-clock budget per variant (no seed starts once it is spent)", "180")
    .option("--runs <n>", "runs per seed", "300")
    .option("--first-seed <n>", "the first campaign seed (then the next ones)", "1")
    .option("--max-seeds <n>", "most seeds per variant")
    .option("--max-commands <n>", "longest command sequence", "60")
    .option("--matrix", "also print which check caught which variant")
    .option("--json", "print one JSON object on stdout")
    .option("--markdown", "print the report as Markdown (the generated part of docs/mutants.md)")
    .option("--jobs <n>", "hunt this many variants at once, on worker threads", "1")
    .action(async (flags) => setExit(await mutantsCommand(flags)));
  program
    .command("variants")
    .description("list the planted bugs --variant can switch on")
    .option("--system <spec>", systemHelp, "uvm")
    .option("--json", "print JSON")
    .action(async (flags) => setExit(await variantsCommand(flags)));
}

/** Runs the command line `argv` (without the program name). Ensures: the exit code; bad usage is one line on stderr and 2. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command("uvmcheck")
    .description("property-based model checker for the NetBSD UVM fault, loan and swap code")
    .exitOverride()
    .showHelpAfterError("(run `uvmcheck --help` for usage)");
  addCampaignCommands(program, setExit);
  addFileCommands(program, setExit);
  addComparisonCommands(program, setExit);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      process.stderr.write(`uvmcheck: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
