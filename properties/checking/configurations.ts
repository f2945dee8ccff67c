//! The configurations the linearizability checker keeps (linearizer.ts): a model state plus
//! the pending operations that already took effect in it. How two are told apart (and kept
//! once when nothing can tell them apart), and what a promised effect changed (its
//! footprint, which the implementation shows only once it completes).

import type { ModelState } from "../../model/state.ts";
import { observe } from "../../model/observe.ts";
import { type Observation, observationDifferences } from "../../vocabulary/observation.ts";
import { formatOutcome, type Outcome } from "../../vocabulary/outcome.ts";
import { canonicalStateKey } from "./canonical-state.ts";
import type { ThreadId } from "../../vocabulary/units.ts";

export interface Promised {
  /** What the operation must return when it completes. */
  readonly outcome: Outcome;
  /** The model states just before and just after it took effect. */
  readonly before: ModelState;
  readonly after: ModelState;
}

const footprints = new WeakMap<Promised, ReadonlySet<string>>();

/** The observation keys a promised operation's effect changed, which the implementation shows only once it completes. */
export function footprint(promise: Promised): ReadonlySet<string> {
  let keys = footprints.get(promise);
  if (keys === undefined) {
    keys = observationDifferences(observe(promise.before), observe(promise.after));
    footprints.set(promise, keys);
  }
  return keys;
}

export interface Configuration {
  readonly state: ModelState;
  /** Pending operations that have already taken effect in `state`, by thread. */
  readonly promised: ReadonlyMap<ThreadId, Promised>;
}

/**
 * States are keyed by hash-consing: every object of a state gets a small number, equal for
 * objects with equal contents (their fields' keys and their children's numbers, interned).
 * Model states share all but the changed path with their predecessor (immer), so keying a new
 * state costs the changed objects only, not a JSON.stringify of the whole state.
 */
const objectKeys = new WeakMap<object, { readonly generation: number; readonly key: string }>();
let interned = new Map<string, string>();
let generation = 0;
/** Past this many distinct objects the table starts afresh (keys of older generations are recomputed). */
const INTERNED_LIMIT = 1 << 18;

/** A value's structural key: equal for values JSON.stringify would print equally. */
function structuralKey(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "";
  const known = objectKeys.get(value);
  if (known !== undefined && known.generation === generation) return known.key;
  let text: string;
  if (Array.isArray(value)) text = `[${value.map((element) => (element === undefined ? "null" : structuralKey(element))).join(",")}]`;
  else {
    const fields: string[] = [];
    for (const [name, field] of Object.entries(value)) if (field !== undefined) fields.push(`${JSON.stringify(name)}:${structuralKey(field)}`);
    text = `{${fields.join(",")}}`;
  }
  let key = interned.get(text);
  if (key === undefined) {
    key = `#${interned.size.toString(36)}`;
    interned.set(text, key);
  }
  objectKeys.set(value, { generation, key });
  return key;
}

/** A state's contents as a key: equal for states equal up to the names of copies, overlays and shared memories (canonical-state.ts). */
function stateKey(state: ModelState): string {
  if (interned.size >= INTERNED_LIMIT) {
    // Between two states, never inside one: a key of one generation means nothing in another
    // (so a state's key names its generation; equal states of two generations merely differ).
    interned = new Map();
    generation++;
  }
  const known = stateKeys.get(state);
  if (known !== undefined && known.generation === generation) return known.key;
  const key = `${generation}${canonicalStateKey(state, structuralKey)}`;
  stateKeys.set(state, { generation, key });
  return key;
}

/** Each state's key, computed once (states are immutable). */
const stateKeys = new WeakMap<ModelState, { readonly generation: number; readonly key: string }>();

/**
 * Configurations are told apart by their state up to renaming and by their promises (which
 * pending operations took effect, with what outcome, changing which observation keys): the
 * same operations taking effect in different orders, before and after a command they commute
 * with, or a copy made at different instants, often end in states equal up to the names of
 * their copies, and keeping one of them is enough (Lowe's and Porcupine's memoisation of
 * (operations linearized, model state)).
 */
export function configurationKey(configuration: Configuration): string {
  return `${promiseSignature(configuration)}|${stateKey(configuration.state)}`;
}

/** The promises of a configuration, as a string: which pending operations took effect, with what outcome and footprint. */
function promiseSignature(configuration: Configuration): string {
  return [...configuration.promised]
    .sort(([a], [b]) => a - b)
    .map(([thread, promise]) => `${thread}=${formatOutcome(promise.outcome)}{${[...footprint(promise)].sort().join(",")}}`)
    .join(",");
}

/**
 * One configuration of each key, in their order: what no observation can tell apart, now or
 * after any later command, is kept once.
 */
export function merged(configurations: readonly Configuration[]): Configuration[] {
  if (configurations.length <= 1) return [...configurations];
  const seen = new Set<string>();
  return configurations.filter((configuration) => {
    const key = configurationKey(configuration);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Most configurations kept with the same promises once equal ones are merged. What merging
 * leaves are alternatives that differ in hidden sharing (which anon a loan to anons reused,
 * which copy a failed access left behind), told apart only by a later swap failure or a
 * wiring rule; beyond this many, one of each distinct observation is kept, then an even
 * spread of the rest in the model's own order.
 */
const CANDIDATES_PER_PROMISE = 64;

/**
 * Most configurations kept in all, when there are so many promise signatures (three pending
 * operations, each with several outcomes and footprints) that CANDIDATES_PER_PROMISE of each
 * would be more: each signature then keeps its share of the hidden alternatives, but still
 * one of each distinct observation.
 */
const CONFIGURATIONS_KEPT = 2048;

/**
 * At most CANDIDATES_PER_PROMISE configurations per promise signature, and of the hidden
 * alternatives no more than the signature's share of CONFIGURATIONS_KEPT: first one of each
 * distinct model observation (what is visible must never be dropped while a twin that differs
 * only in hidden sharing survives), then an even spread of the rest.
 */
export function capped(configurations: readonly Configuration[]): Configuration[] {
  const groups = new Map<string, Configuration[]>();
  for (const configuration of configurations) {
    const group = promiseSignature(configuration);
    const members = groups.get(group);
    if (members === undefined) groups.set(group, [configuration]);
    else members.push(configuration);
  }
  const share = Math.min(CANDIDATES_PER_PROMISE, Math.max(1, Math.floor(CONFIGURATIONS_KEPT / groups.size)));
  const kept = new Set<Configuration>();
  for (const members of groups.values()) {
    if (members.length <= share) {
      for (const member of members) kept.add(member);
      continue;
    }
    const looks = new Set<string>();
    const chosen: Configuration[] = [];
    for (const member of members) {
      const look = JSON.stringify(observe(member.state));
      if (looks.has(look) || chosen.length >= CANDIDATES_PER_PROMISE) continue;
      looks.add(look);
      chosen.push(member);
    }
    // The rest evenly spread over the model's order, not its first few: those tend to make
    // the same choice everywhere (reuse every earlier anon), and differ only late.
    const picked = new Set(chosen);
    const rest = members.filter((member) => !picked.has(member));
    const room = share - chosen.length;
    for (let index = 0; index < room && index < rest.length; index++) chosen.push(rest[Math.floor((index * rest.length) / room)]!);
    for (const member of chosen) kept.add(member);
  }
  return configurations.filter((configuration) => kept.has(configuration));
}

/** `observation` with every page unwired (wiring is in progress while an mlock sleeps). */
export function withoutWiring(observation: Observation): Observation {
  return {
    ...observation,
    processes: observation.processes.map((process) => ({ ...process, pages: process.pages.map((page) => ({ ...page, wired: false })) })),
  };
}
