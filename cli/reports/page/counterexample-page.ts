//! One counterexample as one self-contained HTML page (`uvmcheck report FILE`, `run
//! --html`): no script, no network, the style inlined (page-style.ts). Its parts, each a
//! section with an id a test or a reader can find:
//!
//!   summary           what was checked, the verdict of the replay, the stored failure, the
//!                     root cause
//!   reproduce         the command lines to copy
//!   steps             every step: the command, the implementation's outcome, the outcomes
//!                     the model allows, the three checks; completions and sleeps under it
//!   threads           one lane per thread (start, park at which sleep point, resume, run on
//!                     for another command, complete), like Jepsen's timelines
//!   linearizability   for a linearizability failure: the longest prefix the checker
//!                     explained, and the operation that cannot be placed, with its window
//!                     and the operations concurrent with it
//!   divergence        the first divergence in words, and for an observation failure the
//!                     model's observation against the implementation's as a nested diff
//!   frames            the per-frame timeline of the frames involved
//!
//! A pure function of the story: the same file gives a byte-identical page.

import type { FrameTimeline, TraceStep } from "../../../properties/counterexample-files/trace.ts";
import type { CounterexampleStory } from "./counterexample-story.ts";
import { type DiffNode, differingLeaves } from "./observation-diff.ts";
import { pageStyle } from "./page-style.ts";
import type { ThreadLane } from "./thread-timeline.ts";

/** Ensures: safe in an attribute and a text node. */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

const h = escapeHtml;

function summarySection(story: CounterexampleStory): string {
  const { file, trace, heading } = story;
  const failure = trace.failure;
  const verdict =
    failure === null
      ? `<div class="verdict passes" id="verdict">PASSES: every step passes every check (status ${h(file.status)})</div>`
      : `<div class="verdict fails" id="verdict">FAILS: ${h(failure.check)} at step ${failure.step}: ${h(failure.message)}</div>`;
  const facts: [string, string][] = [
    ["file", story.path],
    ["system", `${heading.system}${heading.variant === null ? "" : `, variant ${heading.variant}`}`],
    ["status", file.status === "open" ? "open: expected to fail" : "fixed: expected to pass"],
    ["stored failure", `${file.failure.check} at step ${file.failure.step}: ${file.failure.message}`],
    ["contract", heading.contract],
    ["world", Object.entries(heading.world).map(([key, value]) => `${key}=${value}`).join(" ")],
    ["hardware seed", String(heading.hardwareSeed)],
  ];
  if (file.rootCause !== undefined) facts.push(["root cause", file.rootCause]);
  const stack = failure?.stack === undefined ? "" : `<h3>stack trace of the crash</h3><pre>${h(failure.stack)}</pre>`;
  const rows = facts.map(([name, value]) => `<dt>${h(name)}</dt><dd>${h(value)}</dd>`).join("");
  return `<header id="summary"><h1>Counterexample: ${h(story.path.split("/").at(-1) ?? story.path)}</h1>${verdict}<dl class="facts">${rows}</dl>${stack}</header>`;
}

function reproduceSection(story: CounterexampleStory): string {
  return `<section id="reproduce"><h2>Reproduce</h2><pre>${story.reproduce.map(h).join("\n")}</pre></section>`;
}

function stepRow(step: TraceStep, failing: boolean): string {
  const classes = [failing ? "failing" : "", step.heal ? "heal" : ""].filter((name) => name !== "").join(" ");
  const under = [...step.completions.map((line) => `↳ ${line}`), ...step.parked.map((line) => `‖ ${line}`)];
  const command = `${step.heal ? "heal: " : ""}${h(step.command)}${under.map((line) => `<span class="sub">${h(line)}</span>`).join("")}`;
  const checks = [step.outcome, step.observation, step.invariants].map((mark) => `<td class="${mark}">${h(mark)}</td>`).join("");
  return `<tr${classes === "" ? "" : ` class="${classes}"`} data-step="${step.step}"><td>${step.step}</td><td class="mono">${command}</td><td class="mono">${h(step.implementation)}</td><td class="mono">${h(step.model)}</td>${checks}</tr>`;
}

function stepsSection(story: CounterexampleStory): string {
  const failing = story.trace.failure?.step ?? -1;
  const head = "<tr><th>step</th><th>command</th><th>implementation</th><th>model allows</th><th>outcome</th><th>observation</th><th>invariants</th></tr>";
  const rows = story.trace.steps.map((step) => stepRow(step, step.step === failing)).join("\n");
  const legend = `<p class="note">outcome: the implementation's outcome (and each completing thread operation's) is one the model allows; observation: every page, file and loan equals the model's; invariants: the system's ${story.trace.invariantCount} heap invariants hold. "-": not run, an earlier check failed. ↳ a thread operation completed; ‖ where threads sleep after the step.</p>`;
  return `<section id="steps"><h2>Steps</h2>${legend}<table>${head}\n${rows}</table></section>`;
}

function laneCell(lane: ThreadLane, step: number, unplaceable: CounterexampleStory["unplaceable"]): string {
  const events = lane.steps[step] ?? [];
  if (events.length === 0) return "<td></td>";
  const culprit = unplaceable !== null && unplaceable.thread === lane.thread && unplaceable.completedAt === step;
  const kind = culprit ? "unplaceable" : events.at(-1)!.kind;
  const text = events.map((event) => `<span class="sub" data-event="${event.kind}">${h(event.text)}</span>`).join("");
  return `<td class="mono event-${kind}">${text}</td>`;
}

function threadsSection(story: CounterexampleStory): string {
  if (story.lanes.length === 0) return `<section id="threads"><h2>Threads</h2><p class="note">No thread commands: every command ran to completion on its own.</p></section>`;
  const head = `<tr><th>step</th><th>command</th>${story.lanes.map((lane) => `<th>thread ${lane.thread}</th>`).join("")}</tr>`;
  const rows = story.trace.steps.map((step, index) => {
    const cells = story.lanes.map((lane) => laneCell(lane, index, story.unplaceable)).join("");
    return `<tr data-step="${step.step}"><td>${step.step}</td><td class="mono">${h(step.command)}</td>${cells}</tr>`;
  });
  const legend = `<p class="note">Time flows down; each thread is a lane: start (blue), park at a sleep point (amber, until it moves again), resume or run on (blue), complete with its outcome (green)${story.unplaceable === null ? "" : "; red: the operation that cannot be placed"}.</p>`;
  return `<section id="threads"><h2>Threads</h2>${legend}<table>${head}\n${rows.join("\n")}</table></section>`;
}

function linearizabilitySection(story: CounterexampleStory): string {
  const missing = story.unplaceable;
  if (missing === null) return "";
  const window = missing.startedAt === null ? `completed at step ${missing.completedAt}` : `started at step ${missing.startedAt}, completed at step ${missing.completedAt}`;
  const prefix = missing.explained === 0 ? "no step before it" : `steps 0–${missing.explained - 1} (${missing.explained} commands): each outcome and observation is explained by one atomic model step per operation`;
  const concurrent = missing.concurrent.map(
    (other) => `<li class="mono">thread ${other.thread}: ${h(other.operation)} (started at step ${other.startedAt}${other.completedAt === null ? ", still pending" : `, completed at step ${other.completedAt}`})</li>`,
  );
  return `<section id="linearizability"><h2>Linearizability</h2>
<p><strong>Longest explained prefix:</strong> ${h(prefix)}.</p>
<div class="callout" id="unplaceable"><strong>Cannot be placed:</strong> <span class="mono">thread ${missing.thread}: ${h(missing.operation)}</span> (${h(window)}) returned <span class="mono">${h(missing.returned)}</span>, and no instant of its window explains that: ${h(story.trace.failure?.message ?? "")}</div>
<p>Operations concurrent with it:</p>${concurrent.length === 0 ? `<p class="note">none</p>` : `<ul>${concurrent.join("")}</ul>`}</section>`;
}

function diffTree(node: DiffNode): string {
  const status = `status-${node.status.replaceAll(" ", "-")}`;
  if (node.children.length === 0 && node.model === undefined && node.implementation === undefined) return `<li class="mono ${status}">${h(node.label)}: (none)</li>`;
  if (node.children.length === 0) {
    const values = node.status === "same" ? h(node.model ?? "") : `model ${h(node.model ?? "(absent)")} · implementation ${h(node.implementation ?? "(absent)")}`;
    return `<li class="mono ${status}">${h(node.label)}: ${values}</li>`;
  }
  const open = node.status === "same" ? "" : " open";
  const differing = differingLeaves(node);
  const note = differing === 0 ? "same" : `${differing} differing`;
  return `<details class="${status}"${open}><summary class="mono">${h(node.label)} <span class="note">(${note})</span></summary><ul class="leaves">${node.children.map(diffTree).join("")}</ul></details>`;
}

function divergenceSection(story: CounterexampleStory): string {
  const { trace, diff } = story;
  if (trace.failure === null) return `<section id="divergence"><h2>First divergence</h2><p class="note">None: the replay passes.</p></section>`;
  const words = `<pre>${trace.divergence.map(h).join("\n")}</pre>`;
  const tree =
    diff === null
      ? ""
      : `<h3>Observation: the model's against the implementation's</h3><p class="note">Differing parts are open; equal parts fold.</p><div id="observation-diff">${diffTree(diff)}</div>`;
  return `<section id="divergence"><h2>First divergence</h2>${words}${tree}</section>`;
}

function frameTable(timeline: FrameTimeline): string {
  const rows = timeline.rows.map((row) => {
    const state = row.state;
    const cells = [
      row.step,
      row.events.length === 0 ? "-" : row.events.join(", "),
      state?.owner ?? "free",
      state === null || state.translations.length === 0 ? "-" : state.translations.join(" "),
      state === null ? "-" : String(state.loanCount),
      state === null ? "-" : String(state.wireCount),
      state?.flags ?? "-",
    ];
    return `<tr>${cells.map((cell) => `<td class="mono">${h(cell)}</td>`).join("")}</tr>`;
  });
  const head = "<tr><th>step</th><th>events</th><th>owner</th><th>translations</th><th>loans</th><th>wired</th><th>flags</th></tr>";
  return `<div class="frame" data-frame="${timeline.frame}"><h3>frame ${timeline.frame}</h3><table>${head}${rows.join("")}</table></div>`;
}

function framesSection(story: CounterexampleStory): string {
  const frames = story.trace.frames;
  const body =
    frames === null
      ? `<p class="note">This system does not describe its frames (no describeFrames).</p>`
      : frames.length === 0
        ? `<p class="note">No frame is involved.</p>`
        : `<p class="note">A row per step that touched the frame or changed it; translations are pid:va:prot; the state is the frame's after the step.</p>${frames.map(frameTable).join("")}`;
  return `<section id="frames"><h2>Frames involved</h2>${body}</section>`;
}

/** Ensures: a complete HTML document; the same story gives the same text. */
export function counterexamplePage(story: CounterexampleStory): string {
  const title = `uvmcheck: ${story.trace.failure === null ? "passes" : story.trace.failure.check} — ${story.path}`;
  const parts = [
    summarySection(story),
    reproduceSection(story),
    linearizabilitySection(story),
    divergenceSection(story),
    threadsSection(story),
    stepsSection(story),
    framesSection(story),
  ];
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${h(title)}</title><style>${pageStyle}</style></head>\n<body>\n${parts.filter((part) => part !== "").join("\n")}\n</body></html>\n`;
}
