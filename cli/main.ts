//! uvmcheck's command line. Each subcommand lives in its own file; this one wires them into
//! commander and maps failures to exit codes: 0 success, 1 a violation (or a surviving
//! mutant), 2 bad usage or bad input.

import { Command, CommanderError } from "commander";
import { benchCommand } from "./bench-command.ts";
import { runCommand } from "./run-command.ts";
import { UsageError } from "./usage-error.ts";
import { variantsCommand } from "./variants-command.ts";

function withCampaignFlags(command: Command): Command {
  return command
    .option("--system <name>", "the system under test", "uvm")
    .option("--variant <name>", "switch on one planted bug (see `uvmcheck variants`)")
    .option("--frames <n>", "physical frames of the simulated machine")
    .option("--swap-slots <n>", "slots of the swap device")
    .option("--page-words <n>", "words per page")
    .option("--processes <n>", "most processes alive at once");
}

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command("uvmcheck")
    .description("property-based model checker for the NetBSD UVM fault, loan and swap code")
    .exitOverride()
    .showHelpAfterError("(run `uvmcheck --help` for usage)");
  withCampaignFlags(program.command("run").description("run a checking campaign"))
    .option("--runs <n>", "number of random command sequences", "300")
    .option("--seed <n>", "campaign seed (random if omitted; always printed)")
    .option("--max-commands <n>", "longest command sequence", "60")
    .option("--ample", "ample-memory contract: ENOMEM is a violation")
    .option("--json", "print one JSON object on stdout")
    .action(async (flags) => {
      exitCode = await runCommand(flags);
    });
  withCampaignFlags(program.command("bench").description("measure checked, implementation-only and model-only throughput"))
    .option("--runs <n>", "runs of 60 commands in the stream", "200")
    .option("--seed <n>", "stream seed", "1")
    .option("--json", "print one JSON object on stdout")
    .action((flags) => {
      exitCode = benchCommand(flags);
    });
  program
    .command("variants")
    .description("list the planted bugs --variant can switch on")
    .option("--system <name>", "the system under test", "uvm")
    .option("--json", "print JSON")
    .action((flags) => {
      exitCode = variantsCommand(flags);
    });
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
