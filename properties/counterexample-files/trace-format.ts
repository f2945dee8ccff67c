//! A trace as text: a heading, the legend, one line per step in fixed columns, then the
//! failing step's first divergence and the timeline of each frame involved.
//!
//!   step  command                          impl  model          out   obs   inv
//!      0  mmap pid=1 pages=1 ...           =0    =0 | ENOMEM    ok    ok    ok
//!      1  write pid=1 va=0 word=0 value=1  ok    ok | ENOMEM    ok    FAIL  -
//!
//! Column widths are fixed for the whole trace (the widest entry of each column), so every
//! row lines up. Nothing here depends on the clock or the terminal: the same trace always
//! prints the same bytes.

import type { FailureRates } from "../../vocabulary/failure.ts";
import type { WorldConfig } from "../../vocabulary/world.ts";
import type { FrameRow, FrameTimeline, Trace, TraceStep } from "./trace.ts";

export interface TraceHeading {
  readonly system: string;
  readonly variant: string | null;
  readonly contract: string;
  readonly hardwareSeed: number;
  readonly failures: FailureRates;
  readonly world: WorldConfig;
}

function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

function headingLines(heading: TraceHeading): string[] {
  const failures = Object.entries(heading.failures).filter(([, rate]) => rate > 0);
  const injected = failures.length === 0 ? "no injected failures" : `injected failures ${failures.map(([kind, rate]) => `${kind}=${rate}`).join(" ")}`;
  const world = heading.world;
  return [
    `system ${heading.system}, variant ${heading.variant ?? "none (faithful)"}, contract ${heading.contract}, hardware seed ${heading.hardwareSeed}, ${injected}`,
    `world: ${count(world.frames, "frame")}, ${count(world.swapSlots, "swap slot")}, ${world.pageWords}-word pages, ` +
      `${count(world.files, "file")} of ${count(world.filePages, "page")}, ${world.vaPages}-page address spaces, ` +
      `at most ${count(world.maxProcesses, "process", "processes")}`,
  ];
}

function legendLines(invariantCount: number): string[] {
  return [
    "legend",
    "  step     index of the command in the file",
    "  command  the command as stored: its kind, then each field",
    "  impl     the outcome the implementation returned: ok, =N (a value), an errno, or threw",
    "  model    the outcomes the model allows, separated by |",
    "  out      check 1: the implementation's outcome is one the model allows, and so is that of",
    "           every thread operation completing in the step (↳ lines; linearizability);",
    "           ⏸ lines: where threads sleep after the step, when that changed",
    "  obs      check 2: every page, file and loan the implementation shows equals the model's",
    `  inv      check 3: the system's ${invariantCount} heap invariants hold`,
    "           ok passed, FAIL failed, - not run (an earlier check failed)",
    "  heal:    a command of the heal phase every run ends with (failures off, loans given back,",
    "           processes exited), after which nothing may be left behind (check healed)",
  ];
}

function stepLines(steps: readonly TraceStep[]): string[] {
  const commandOf = (step: TraceStep) => (step.heal ? `heal: ${step.command}` : step.command);
  const commandWidth = Math.max("command".length, ...steps.map((step) => commandOf(step).length));
  const implementationWidth = Math.max("impl".length, ...steps.map((step) => step.implementation.length));
  const modelWidth = Math.max("model".length, ...steps.map((step) => step.model.length));
  const row = (step: string, command: string, implementation: string, model: string, checks: readonly string[]) =>
    [
      step.padStart(4),
      command.padEnd(commandWidth),
      implementation.padEnd(implementationWidth),
      model.padEnd(modelWidth),
      ...checks.map((check) => check.padEnd(4)),
    ]
      .join("  ")
      .trimEnd();
  return [
    row("step", "command", "impl", "model", ["out", "obs", "inv"]),
    ...steps.flatMap((step) => [
      row(String(step.step), commandOf(step), step.implementation, step.model, [step.outcome, step.observation, step.invariants]),
      ...step.completions.map((completion) => `${"".padStart(4)}  ↳ ${completion}`),
      ...step.parked.map((parked) => `${"".padStart(4)}  ⏸ ${parked}`),
    ]),
  ];
}

function frameRowText(row: FrameRow, eventWidth: number, ownerWidth: number, translationWidth: number): string {
  const events = row.events.length === 0 ? "-" : row.events.join(", ");
  const state = row.state;
  const owner = state === null ? "free" : state.owner;
  const translations = state === null || state.translations.length === 0 ? "-" : state.translations.join(" ");
  const counts = state === null ? ["-", "-", "-"] : [String(state.loanCount), String(state.wireCount), state.flags];
  return [
    row.step.padStart(6),
    events.padEnd(eventWidth),
    owner.padEnd(ownerWidth),
    translations.padEnd(translationWidth),
    counts[0]!.padEnd(5),
    counts[1]!.padEnd(5),
    counts[2],
  ]
    .join("  ")
    .trimEnd();
}

function timelineLines(timelines: readonly FrameTimeline[]): string[] {
  const rows = timelines.flatMap((timeline) => timeline.rows);
  const eventWidth = Math.max("events".length, ...rows.map((row) => (row.events.length === 0 ? 1 : row.events.join(", ").length)));
  const ownerWidth = Math.max("owner".length, ...rows.map((row) => row.state?.owner.length ?? 4));
  const translationWidth = Math.max("translations".length, ...rows.map((row) => row.state?.translations.join(" ").length ?? 1));
  const header = [
    "  step".padStart(6),
    "events".padEnd(eventWidth),
    "owner".padEnd(ownerWidth),
    "translations".padEnd(translationWidth),
    "loans",
    "wired",
    "flags",
  ].join("  ");
  const lines = [
    `frames involved: ${timelines.map((timeline) => timeline.frame).join(", ")}`,
    "  a row per step that touched the frame or changed it (other steps left it as it was);",
    "  translations are pid:va:prot; the state is the frame's after the step",
  ];
  for (const timeline of timelines) {
    lines.push("", `frame ${timeline.frame}`, header, ...timeline.rows.map((row) => frameRowText(row, eventWidth, ownerWidth, translationWidth)));
  }
  return lines;
}

/** Ensures: the text ends with a newline; the same trace gives the same text. */
export function formatTrace(trace: Trace, heading: TraceHeading): string {
  const lines = [...headingLines(heading), "", ...legendLines(trace.invariantCount), "", ...stepLines(trace.steps), ""];
  const failure = trace.failure;
  if (failure === null) {
    lines.push(`every step passed every check: the counterexample no longer fails`);
    return `${lines.join("\n")}\n`;
  }
  const where = failure.check === "healed" ? "after the heal phase" : `step ${failure.step}`;
  lines.push(`${where} FAILED ${failure.check}: ${failure.message}`, "", "first divergence", ...trace.divergence.map((line) => `  ${line}`), "");
  if (trace.frames === null) lines.push("frames: this system does not describe its frames (no describeFrames)");
  else if (trace.frames.length === 0) lines.push("frames involved: none");
  else lines.push(...timelineLines(trace.frames));
  return `${lines.join("\n")}\n`;
}
