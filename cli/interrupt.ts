//! Ctrl-C (SIGINT) and SIGTERM while a long command runs. The first one asks the work to
//! stop at its next pause (between two runs: properties/hunting/interruptible-campaign.ts);
//! the command then prints what it has (runs done, coverage so far, the seed and command to
//! run it again), writes its reports and exits 130 (143 for SIGTERM). A second one quits at
//! once, cursor restored, exit code the same.
//!
//! While no long command runs, no handler is installed and the signals do what they always
//! do.

import { exitCodes } from "./error-report.ts";

/** Shows the terminal cursor again (a progress bar hides it). */
const showCursor = "\u001b[?25h";

export class Interrupt {
  /** The signal received first, or null. */
  signal: "SIGINT" | "SIGTERM" | null = null;
  private wake: () => void = () => {};
  /** Resolves when a stop is asked for (for work that waits rather than pauses). */
  readonly asked: Promise<void> = new Promise((resolve) => {
    this.wake = resolve;
  });
  private readonly onSignal = (signal: NodeJS.Signals) => this.receive(signal === "SIGTERM" ? "SIGTERM" : "SIGINT");

  constructor(
    /** What is stopped, for the message: `the campaign`. */
    private readonly work: string,
  ) {}

  /** Whether a stop was asked for. */
  readonly requested = (): boolean => this.signal !== null;

  get exitCode(): number {
    return this.signal === "SIGTERM" ? exitCodes.terminated : exitCodes.interrupted;
  }

  install(): this {
    process.on("SIGINT", this.onSignal);
    process.on("SIGTERM", this.onSignal);
    return this;
  }

  uninstall(): void {
    process.off("SIGINT", this.onSignal);
    process.off("SIGTERM", this.onSignal);
  }

  private receive(signal: "SIGINT" | "SIGTERM"): void {
    if (this.signal !== null) {
      if (process.stderr.isTTY) process.stderr.write(showCursor);
      process.stderr.write(`\nuvmcheck: ${signal === "SIGINT" ? "Ctrl-C" : signal} again: stopped at once\n`);
      process.exit(this.exitCode);
    }
    this.signal = signal;
    this.wake();
    const name = signal === "SIGINT" ? "Ctrl-C" : "SIGTERM";
    process.stderr.write(`\nuvmcheck: ${name}: stopping ${this.work} at the next pause (${name === "Ctrl-C" ? "Ctrl-C" : "SIGINT"} again to quit at once)\n`);
  }
}
