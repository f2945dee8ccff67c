//! What `uvmcheck bench` prints (bench-command.ts measures it): one block per figure, each
//! a median with its spread in brackets (lowest and highest round over the median), each
//! goal of issue 16 with "met" or "NOT met", then the machine. Lines fit in 100 columns.

import { previousSameMeasure, previousWholeProcess } from "../bench/previous-version.ts";
import type { Figure } from "../bench/measure.ts";
import type { BenchReport } from "./bench-command.ts";
import { count } from "./output.ts";
import { scaleSweepEvery } from "../properties/checking/incremental-check.ts";

function spread(figure: Figure): string {
  return `[${figure.spread[0].toFixed(2)}-${figure.spread[1].toFixed(2)}]`;
}

/** A rate per second from a cost per unit, with the spread inverted accordingly. */
function perSecond(figure: Figure): string {
  return `${Math.round(1 / figure.secondsPerUnit)} ${spread({ ...figure, spread: [1 / figure.spread[1], 1 / figure.spread[0]] })}`;
}

function times(figure: Figure): string {
  return `${figure.secondsPerUnit.toFixed(2)}x ${spread(figure)}`;
}

function goal(met: boolean, text: string): string {
  return `goal ${text}: ${met ? "met" : "NOT met"}`;
}

function campaignLines(report: BenchReport): string[] {
  const campaign = report.figures.get("campaign")!;
  const rate = 1 / campaign.secondsPerUnit;
  const previous = rate / previousSameMeasure.commandsPerSecondPerCore;
  const atDefaults = report.runs === 20 && report.seed === 1 && report.maxCommands === 100;
  const floor = report.ratios.campaignOverFloor;
  return [
    `default campaign, generation included, one core: runs 0-${report.runs - 1} of seed ${report.seed}, up to ${report.maxCommands} commands`,
    `  checked commands/s per core   ${perSecond(campaign)}   (${count(report.campaign.commands, "command")} a round)`,
    atDefaults
      ? `  vs the previous version       ${previous.toFixed(2)}x its ${previousSameMeasure.commandsPerSecondPerCore}/s   ${goal(previous >= 20, ">= 20x")}`
      : "  vs the previous version       goal >= 20x: not measured (recorded at --runs 20 --seed 1)",
    `    (${previousSameMeasure.commit}, this measure at the defaults: runs 0-19 of seed 1, docs/performance.md;`,
    `    whole process, run --runs 300 --seed 1: ${previousWholeProcess.commandsPerSecondPerCore}/s, today ${(rate / previousWholeProcess.commandsPerSecondPerCore).toFixed(2)}x that)`,
    `  fast-check floor              ${perSecond(report.figures.get("floor")!)} runs/s (same arbitraries, no-op model)`,
    `  campaign per run              ${times(floor)} the floor's time: ${(100 / floor.secondsPerUnit).toFixed(1)}% of the floor's speed`,
  ];
}

function streamLines(report: BenchReport): string[] {
  const ratio = report.ratios.modelOverImplementation;
  return [
    `implementation alone vs model alone, the same stream (${count(report.runs * 5, "run")} of ${report.maxCommands} commands, no threads)`,
    ...(report.variant === null ? [] : [`  variant ${report.variant} switched on (the campaign figures above are the faithful system's)`]),
    `  implementation   ${perSecond(report.figures.get("implementation")!)} commands/s`,
    `  model            ${perSecond(report.figures.get("model")!)} commands/s`,
    `  implementation   ${times(ratio)} the model's speed   ${goal(ratio.secondsPerUnit >= 3, ">= 3x")}`,
    ...(report.stoppedRuns === 0
      ? []
      : [`  ${count(report.stoppedRuns, "run")} stopped early at a violation when checked (bench measures speed, \`run\` finds bugs)`]),
  ];
}

function microLines(report: BenchReport): string[] {
  const fault = report.figures.get("case-1A fault");
  const hit = report.figures.get("resident read hit");
  if (fault === undefined || hit === undefined) return ["microbenchmarks: only for the built-in uvm system"];
  const micro = (figure: Figure) => `${(figure.secondsPerUnit * 1e6).toFixed(2)} µs ${spread(figure)}`;
  return [
    "microbenchmarks (µs per operation, the implementation alone)",
    `  case-1A fault (resident anon, no translation)   ${micro(fault)}   ${goal(fault.secondsPerUnit <= 2e-6, "<= 2 µs")}`,
    `  resident read hit                               ${micro(hit)}   ${goal(hit.secondsPerUnit < 1e-6, "< 1 µs")}`,
  ];
}

function scaleLines(report: BenchReport): string[] {
  const small = report.figures.get("resident 32")!;
  const large = report.figures.get(`resident ${report.pages}`)!;
  const world = report.ratios.residentLargeOverSmall;
  const incremental = report.ratios.residentLargeOverSmallIncremental;
  const smallIncremental = report.figures.get("resident 32 incremental")!;
  const largeIncremental = report.figures.get(`resident ${report.pages} incremental`)!;
  const length = report.ratios.longOverShort;
  const jobs = report.ratios.jobsOneOverMany;
  const ms = (figure: Figure) => `${(figure.secondsPerUnit * 1000).toFixed(3)} ms ${spread(figure)}`;
  return [
    "checked step cost by world size (one process, all pages resident, a read)",
    `  32 pages ${ms(small)}; ${report.pages} pages ${ms(large)}`,
    `  ${times(world)} the cost at 32 pages, every step checked in full`,
    `  incremental (a full sweep every ${scaleSweepEvery} steps, 1 per 16 pages in large worlds, counted in):`,
    `  32 pages ${ms(smallIncremental)}; ${report.pages} pages ${ms(largeIncremental)}`,
    `  ${times(incremental)} the cost at 32 pages   ${goal(incremental.secondsPerUnit <= 2, "<= 2x")}`,
    `checked command cost by run length (runs of exactly ${report.long} vs ${report.maxCommands} commands, no threads)`,
    `  ${times(length)} per command   ${goal(length.secondsPerUnit <= 1.5, "<= 1.5x")}`,
    `scale profile: run 0 of seed ${report.seed}, run --profile scale (its default world), up to ${report.scaleCommands} commands`,
    `  checked commands/s per core   ${perSecond(report.figures.get("scale campaign")!)}`,
    `  largest world reached         ${report.scalePeak.frames} frames in use, ${count(report.scalePeak.processes, "process", "processes")}, ${report.scalePeak.mappedPages} mapped pages`,
    `worker threads: the same ${count(report.jobsRuns, "run")} with --jobs ${report.jobs} vs --jobs 1`,
    `  ${times(jobs)} faster   ${goal(jobs.secondsPerUnit >= 1.8, ">= 1.8x")}`,
  ];
}

/** Ensures: the report as lines of at most 100 columns, the machine last. */
export function formatBench(report: BenchReport): string[] {
  const host = report.machine;
  return [
    `uvmcheck bench: system ${report.system}; ${count(report.repetitions, "round")} after a warm-up; medians [lowest-highest round / median]`,
    ...campaignLines(report),
    ...streamLines(report),
    ...microLines(report),
    ...scaleLines(report),
    `machine: ${host.cpu}, ${count(host.cores, "core")}, Node.js ${host.node},`,
    `  load average ${host.loadAverage} when it started`,
  ];
}
