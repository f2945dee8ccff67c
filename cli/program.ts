//! The subcommands and their flags, declared to commander. Every flag's help shows its
//! default, and the defaults are the same wherever a flag appears (`--max-commands` is the
//! default campaign's 100 for run, diff, mutants and bench; the world flags default to the
//! default world's sizes). The work itself is in one file per subcommand.

import { Command, Option } from "commander";
import { uvmcheckVersion } from "../properties/counterexample-files/counterexample-file.ts";
import { defaultMaxCommands } from "../properties/hunting/campaign.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import { scaleWorldDefaults } from "../properties/generation/growth.ts";
import { benchCommand } from "./bench-command.ts";
import { mergeCommand } from "./merge-command.ts";
import { diffCommand } from "./diff-command.ts";
import { mutantsCommand } from "./mutants-command.ts";
import { replayCommand } from "./replay-command.ts";
import { reportCommand } from "./report-command.ts";
import { runCommand } from "./run-command.ts";
import { findingsFolder } from "./run-settings.ts";
import type { Session } from "./session.ts";
import { shrinkCommand } from "./shrink-command.ts";
import { variantsCommand } from "./variants-command.ts";

const systemHelp = "the system under test: a built-in name (uvm) or the path of a module exporting a SystemFactory; NAME:VARIANT switches a variant on";

type Exit = (code: number) => void;

function withSystem(command: Command): Command {
  return command.option("--system <spec>", systemHelp, "uvm");
}

/** `--system` for the commands that read a counterexample file: no default (the file names its system). */
function withFileSystem(command: Command): Command {
  return command.option("--system <spec>", "load the system from SPEC instead of the file's `system` (a module moved; SPEC's :VARIANT replaces the file's)");
}

function withWorld(command: Command): Command {
  const world = defaultWorld;
  return command
    .option("--frames <n>", `physical frames of the simulated machine (default: ${world.frames}; 4096 with --ample)`)
    .option("--swap-slots <n>", `slots of the swap device (default: ${world.swapSlots}; 4096 with --ample)`)
    .option("--page-words <n>", `words per page (default: ${world.pageWords})`)
    .option("--va-pages <n>", `pages of each address space (default: ${world.vaPages}; ${scaleWorldDefaults.vaPages} with --profile scale)`)
    .option("--processes <n>", `most processes alive at once (default: ${world.maxProcesses})`)
    .option(
      "--liveness-bound <n>",
      `sleeps a thread may take while no other operation completes before it is a liveness failure (default: ${world.livenessBound})`,
    );
}

function withCampaign(command: Command, runsHelp: string): Command {
  return command.option("--runs <n>", runsHelp, "300").option("--max-commands <n>", "longest command sequence of a run", String(defaultMaxCommands));
}

function withCiReports(command: Command): Command {
  return command
    .option("--junit <file>", "also write a JUnit XML report to FILE (on success, violation, error or Ctrl-C)")
    .option("--report <file>", "also write a JSON report to FILE: verdict, seed, runs, coverage, counterexample paths, timings");
}

function declareRun(program: Command, session: Session, exit: Exit): void {
  const run = withSystem(program.command("run").description("run a checking campaign (first replaying the stored counterexamples that apply)"));
  withCiReports(
    withWorld(withCampaign(run.option("--variant <name>", "switch on one planted bug (see `uvmcheck variants`)"), "number of random command sequences")),
  )
    .option("--seed <n>", "campaign seed (random if omitted; always printed)")
    .option("--from-run <k>", "start at run K of the campaign (0-based): go on where an interrupted run stopped", "0")
    .option("--jobs <n>", "worker threads (default: every core); the verdict, coverage and counterexample are the same for any N")
    .option("--shard <i/n>", "run only shard I of N (runs I, I+N, ...), printing JSON lines for `uvmcheck merge`")
    .option("--duration <time>", "run until this much time has passed (90s, 10m, 2h) instead of a run count; --runs is then the most")
    .option("--ample", "the ample-memory property: 4096 frames and swap slots unless given, no failures; ENOMEM and EIO are violations")
    .addOption(new Option("--schedule <policy>", "thread scheduling").choices(["mixed", "uniform", "pct", "none"]).default("mixed"))
    .addOption(
      new Option("--profile <name>", "generators: default, or scale (the world grows: thousands of resident pages, dozens of processes)")
        .choices(["default", "scale"])
        .default("default"),
    )
    .option("--out <dir>", "where a counterexample file is written", findingsFolder)
    .option("--db <dir>", "the stored counterexamples replayed before generating, subfolders included (default: counterexamples/)")
    .option("--no-db", "generate only; replay no stored counterexample first")
    .option("--html", "also write the counterexample as an HTML page beside its file (see `uvmcheck report`)")
    .option("--statistics", "also print run lengths, the outcome and errno mix, and time per run")
    .option("--json", "print one JSON object on stdout")
    .action(async (flags) => exit(await runCommand(flags, session)));
}

function declareFileCommands(program: Command, session: Session, exit: Exit): void {
  program
    .command("merge")
    .description("merge the JSON lines of `run --shard I/N` (one file per shard) into run's report, with run's exit code")
    .argument("<files...>", "the shards' files, every shard of one campaign once")
    .option("--out <dir>", "where the campaign's counterexample file is written", findingsFolder)
    .option("--statistics", "also print run lengths and the outcome and errno mix")
    .option("--json", "print one JSON object on stdout")
    .action(async (files: string[], flags) => exit(await mergeCommand(files, flags, session)));
  withFileSystem(program.command("replay"))
    .description("run a counterexample file's commands again: exit 1 if it still fails, 0 if it passes, 2 if the file is bad")
    .argument("<file>", "a counterexample file")
    .option("--trace", "a step-by-step trace: checks per step, the first divergence, the frames involved")
    .option("--json", "print one JSON object on stdout")
    .action(async (file: string, flags) => exit(await replayCommand(file, flags, session)));
  withFileSystem(program.command("shrink"))
    .description("shrink a counterexample file further (1-minimal, simpler arguments, smaller world) into a new file")
    .argument("<file>", "a counterexample file")
    .option("--out <file>", "the new file, exactly this path (default: next to FILE, named *.shrunk.json); a folder: the default name in it")
    .option("--force", "replace the --out file if it exists")
    .option("--json", "print one JSON object on stdout")
    .action(async (file: string, flags) => exit(await shrinkCommand(file, flags, session)));
  withFileSystem(program.command("report"))
    .description("write a counterexample file as one self-contained HTML page: steps, thread timeline, first divergence, frames")
    .argument("<file>", "a counterexample file")
    .option("--out <page>", "the page, exactly this path (default: next to FILE, named *.html)")
    .option("--force", "replace the --out page if it exists")
    .option("--json", "print one JSON object on stdout")
    .action(async (file: string, flags) => exit(await reportCommand(file, flags, session)));
}

function declareComparisons(program: Command, session: Session, exit: Exit): void {
  withWorld(withSystem(program.command("bench").description("measure the campaign's speed per core and its parts, with the goals of issue 16")))
    .option("--variant <name>", "switch on one planted bug")
    .option("--runs <n>", "campaign runs a round (the implementation/model stream has 5 times as many)", "20")
    .option("--max-commands <n>", "commands per run", String(defaultMaxCommands))
    .option("--seed <n>", "campaign and stream seed", "1")
    .option("--repetitions <n>", "interleaved rounds after the warm-up", "5")
    .option("--pages <n>", "resident pages of the large world (the small one has 32)", "4096")
    .option("--long <n>", "commands per run of the long runs (compared with 100)", "1000")
    .option("--json", "print one JSON object on stdout")
    .action(async (flags) => exit(await benchCommand(flags)));
  withWorld(withCampaign(program.command("diff"), "number of random command sequences"))
    .description("run two systems and the model on the same sequences (no threads); report the first divergence, shrunk")
    .requiredOption("--a <spec>", "system A (see --system): uvm, uvm:VARIANT, PATH or PATH:VARIANT")
    .requiredOption("--b <spec>", "system B, same forms as --a")
    .option("--seed <n>", "campaign seed (random if omitted; always printed)")
    .option("--ample", "ample-memory contract: the model does not allow ENOMEM")
    .option("--strict", "also report a divergence the model allows on both sides (a specified choice) instead of ending that run")
    .option("--out <dir>", "where a divergence that fails a side against the model is written as a counterexample file", findingsFolder)
    .option("--json", "print one JSON object on stdout")
    .option("--junit <file>", "also write a JUnit XML report to FILE")
    .option("--report <file>", "also write a JSON report to FILE")
    .action(async (flags) => exit(await diffCommand(flags, session)));
  withSystem(program.command("variants").description("list the planted bugs --variant can switch on"))
    .option("--json", "print JSON")
    .action(async (flags) => exit(await variantsCommand(flags)));
}

function declareMutants(program: Command, session: Session, exit: Exit): void {
  const mutants = withSystem(program.command("mutants").description("the mutation report: hunt every mutant with the default campaign"));
  withCiReports(withWorld(withCampaign(mutants, "runs per seed")))
    .option("--only <names>", "hunt only these variants (comma-separated; any kind)")
    .option("--all-variants", "hunt every canary and seed-bug variant too")
    .option("--budget-seconds <s>", "wall-clock budget per variant, more than 0 (no seed starts once it is spent)", "180")
    .option("--first-seed <n>", "the first campaign seed (then the next ones)", "1")
    .option("--max-seeds <n>", "most seeds per variant", "1000000")
    .option("--out <dir>", "where the counterexample that killed each variant is written", `${findingsFolder}/mutants`)
    .option("--matrix", "also print which check caught which variant")
    .option("--json", "print one JSON object on stdout")
    .option("--markdown", "print the report as Markdown (the generated part of docs/mutants.md)")
    .option("--jobs <n>", "hunt this many variants at once, on worker threads", "1")
    .action(async (flags) => exit(await mutantsCommand(flags, session)));
}

/** Requires: `session` from this invocation's argv. Ensures: a program whose action reports its exit code through `exit`. */
export function buildProgram(session: Session, exit: Exit): Command {
  const program = new Command("uvmcheck")
    .description("property-based model checker for the NetBSD UVM fault, loan and swap code")
    .version(uvmcheckVersion(), "-V, --version", "print uvmcheck's version")
    .option("--verbose", "print stack traces with errors (accepted anywhere on the line)")
    .exitOverride()
    .showHelpAfterError("(run `uvmcheck --help` for usage)");
  declareRun(program, session, exit);
  declareFileCommands(program, session, exit);
  declareComparisons(program, session, exit);
  declareMutants(program, session, exit);
  return program;
}
