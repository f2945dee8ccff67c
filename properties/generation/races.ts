//! Races and armed starts run as consecutive commands (the `race` template, and a `start`
//! with `arm`): the first start, then, while its operation is still pending, the follow-ups
//! aimed at it. Like a drill (drills.ts), each command is recorded on its own.

import type { ThreadId } from "../../vocabulary/units.ts";
import type { DrillHost } from "./drills.ts";
import { resolveTemplate, type Template, type ThreadContext, templateApplies } from "./templates.ts";

/** Runs `template` (a start, a race, or any other template: one command) against the run `host` is. */
export function runTemplate(template: Template, host: DrillHost): void {
  if (template.kind === "race" && template.cold && host.threads().families.has("machine")) host.run({ kind: "pageout", targetFreeFrames: host.model().world.frames });
  const start = template.kind === "race" ? template.first : template;
  if (start.kind === "start" && start.arm !== null) host.run({ kind: "failNext", failure: start.arm });
  const first = resolveTemplate(template, host.model(), host.threads());
  host.run(first);
  if (template.kind !== "race" || first.kind !== "start") return;
  for (const followUp of raceFollowUps(template)) {
    const context = raceContext(host.threads(), first.thread);
    if (context === null) return;
    if (templateApplies(followUp, context)) host.run(resolveTemplate(followUp, host.model(), context));
  }
  if (template.resume && raceContext(host.threads(), first.thread) !== null) host.run({ kind: "resume", thread: first.thread });
}

/**
 * A race's commands after its first start, as templates aimed at the first operation (in the
 * context `raceContext` gives): the second start and the interferences.
 */
function raceFollowUps(race: Extract<Template, { readonly kind: "race" }>): Template[] {
  const second: Template[] = race.second === null ? [] : [{ kind: "start", thread: 0, operation: race.second, arm: null }];
  const interferences = race.interferences.map(({ how, value }): Template => ({ kind: "interfere", pick: 0, how, value }));
  return [...second, ...interferences];
}

/**
 * The context a race's follow-ups resolve in: `racing` targets and interferences aim at the
 * first operation, while a start still sees every pending thread; null once the first
 * operation is no longer pending (it completed, or a follow-up ended it).
 */
function raceContext(threads: ThreadContext, thread: ThreadId): ThreadContext | null {
  const index = threads.pending.indexOf(thread);
  if (index < 0) return null;
  return { ...threads, operations: [threads.operations[index]!] };
}
