// Systems that lack command families, for the capability tests: the UVM system behind a door
// that counts every command family it lets through and throws on one the system says it
// lacks (so a campaign that generated such a command fails with check `crash`).
import { uvmSystem } from "../../systems/uvm.ts";
import type { Command } from "../../vocabulary/command.ts";
import { type CommandFamily, commandFamilies, familiesOf, missingFamily } from "../../vocabulary/command-family.ts";
import type { SystemFactory, SystemOptions, SystemUnderTest } from "../../vocabulary/system-under-test.ts";

export interface FakeSystem extends SystemFactory {
  /** Commands let through per family, over every instance so far (counting only). */
  readonly seen: Map<CommandFamily, number>;
}

/**
 * UVM without the families `lacking`. Without threads its instances have no
 * `drainCompletions` or `parkedThreads`; with `declared` false the factory leaves
 * `families` out (the documented default then applies).
 */
export function uvmWithout(lacking: readonly CommandFamily[], options: { readonly declared?: boolean } = {}): FakeSystem {
  const families = commandFamilies.filter((family) => !lacking.includes(family));
  const supported = new Set(families);
  const seen = new Map<CommandFamily, number>();
  const create = (systemOptions: SystemOptions): SystemUnderTest => {
    const inner = uvmSystem.create(systemOptions);
    const apply = (command: Command) => {
      const missing = missingFamily(command, supported);
      if (missing !== null) throw new Error(`fake system: given ${command.kind}, of the ${missing} family it lacks`);
      for (const family of familiesOf(command)) seen.set(family, (seen.get(family) ?? 0) + 1);
      return inner.apply(command);
    };
    const base: SystemUnderTest = {
      invariantNames: inner.invariantNames,
      apply,
      observe: () => inner.observe(),
      checkInvariants: (checkOptions) => inner.checkInvariants(checkOptions),
      coverage: () => inner.coverage(),
      checkHealed: () => inner.checkHealed?.() ?? null,
    };
    if (!supported.has("threads")) return base;
    return { ...base, drainCompletions: () => inner.drainCompletions?.() ?? [], parkedThreads: () => inner.parkedThreads?.() ?? [] };
  };
  const name = `uvm-without-${lacking.join("-") || "nothing"}`;
  const factory = { name, description: `UVM without ${lacking.join(", ")}`, variants: uvmSystem.variants, requiredCoverage: [], create, seen };
  return options.declared === false ? factory : { ...factory, families };
}
