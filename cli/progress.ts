//! Progress on stderr while a campaign or a hunt runs, for a person at a terminal and for a
//! CI log alike:
//!
//!   terminal   a bar redrawn in place:
//!                checking [██████░░░░░░░░░░░░░░] 120/300 runs  41.2 runs/s  3.0 s  ETA 4 s
//!   no TTY     a line every few seconds (UVMCHECK_PROGRESS_SECONDS, default 5; 0: every
//!              update), so a CI log shows the campaign alive instead of silence:
//!                checking: 120/300 runs, 41.2 runs/s, 3.0 s elapsed, about 4.4 s left
//!
//! Nothing is printed with `--json` (the caller passes enabled false). Where Ctrl-C is
//! handled (interrupt.ts) the bar may hide the cursor while it runs: `stop` and the handler
//! show it again. Elsewhere the cursor stays, so a Ctrl-C that ends the process at once never
//! leaves the terminal without one.

import { SingleBar } from "cli-progress";
import { count, duration, rate } from "./output.ts";

export interface ProgressOptions {
  /** What is being done: `checking`, `comparing`, `hunting`. */
  readonly label: string;
  /** What is counted, singular: `run`, `variant`. */
  readonly noun: string;
  readonly total: number;
  readonly enabled: boolean;
  /** Milliseconds, monotonic. */
  readonly now?: () => number;
  readonly stream?: NodeJS.WriteStream;
  /** Hide the cursor while the bar runs: only where a Ctrl-C handler shows it again (default false). */
  readonly hideCursor?: boolean;
}

/**
 * Seconds between two lines without a terminal.
 * Ensures: a finite number of seconds ≥ 0 (5 unless UVMCHECK_PROGRESS_SECONDS says otherwise).
 */
export function progressInterval(environment: NodeJS.ProcessEnv = process.env): number {
  const text = environment.UVMCHECK_PROGRESS_SECONDS;
  const seconds = text === undefined ? Number.NaN : Number(text);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : 5;
}

export class Progress {
  private readonly bar: SingleBar | null;
  private readonly started: number;
  private lastLine: number;
  private readonly now: () => number;
  private readonly stream: NodeJS.WriteStream;
  private readonly interval: number;
  private done = 0;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? (() => performance.now());
    this.stream = options.stream ?? process.stderr;
    this.started = this.now();
    this.lastLine = this.started;
    this.interval = progressInterval();
    const terminal = options.enabled && this.stream.isTTY === true;
    const format = `  ${options.label} [{bar}] {value}/{total} ${options.noun}s  {rate} ${options.noun}s/s  {elapsed}  ETA {eta_formatted}  {detail}`;
    const hideCursor = options.hideCursor === true;
    this.bar = terminal ? new SingleBar({ format, barsize: 20, hideCursor, stream: this.stream, etaBuffer: 50 }) : null;
    this.bar?.start(options.total, 0, { rate: "0", elapsed: "0.0 s", detail: "" });
  }

  /** Seconds since the progress started. */
  get seconds(): number {
    return (this.now() - this.started) / 1000;
  }

  /** `done` of the total are done; `detail` names what is being worked on (a variant). */
  update(done: number, detail = ""): void {
    this.done = Math.min(done, this.options.total);
    const seconds = this.seconds;
    const perSecond = rate(this.done / Math.max(seconds, 1e-3));
    this.bar?.update(this.done, { rate: perSecond, elapsed: duration(seconds), detail });
    if (this.bar !== null || !this.options.enabled) return;
    if ((this.now() - this.lastLine) / 1000 < this.interval && this.done < this.options.total) return;
    this.lastLine = this.now();
    this.stream.write(`${this.line(seconds, perSecond, detail)}\n`);
  }

  private line(seconds: number, perSecond: string, detail: string): string {
    const { label, noun, total } = this.options;
    const left = this.done === 0 || this.done === total ? "" : `, about ${duration((seconds / this.done) * (total - this.done))} left`;
    const working = detail === "" ? "" : ` (${detail})`;
    return `  ${label}: ${this.done}/${count(total, noun)}, ${perSecond} ${noun}s/s, ${duration(seconds)} elapsed${left}${working}`;
  }

  /** Clears the bar and shows the cursor again. Idempotent. */
  stop(): void {
    this.bar?.stop();
  }
}
