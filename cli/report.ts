//! What `uvmcheck run` prints: the reproduction line first, the violation and its shrunk
//! command list, then a coverage table.

import type { FoundViolation } from "../properties/hunting/campaign.ts";

export function formatViolation(found: FoundViolation): string {
  const lines = [
    `VIOLATION ${found.violation.check} at step ${found.violation.step} (${found.violation.command.kind})`,
    `  ${found.violation.message}`,
    `  reproduce: seed=${found.seed} path="${found.path}" replayPath="${found.replayPath}" hardwareSeed=${found.hardwareSeed}`,
    `  world: ${Object.entries(found.world)
      .map(([key, value]) => `${key}=${value}`)
      .join(" ")}`,
    `  swarm: ${Object.entries(found.swarm)
      .map(([kind, weight]) => `${kind}=${weight}`)
      .join(" ")}`,
    `  shrunk to ${found.commands.length} commands:`,
    ...found.commands.map((command, index) => `    ${String(index).padStart(3)}  ${JSON.stringify(command)}`),
  ];
  return lines.join("\n");
}

/** Coverage counters in columns; required counters still at zero are marked with `!`. */
export function formatCoverage(coverage: ReadonlyMap<string, number>, required: readonly string[]): string {
  const cells = [...coverage].map(([name, count]) => `${required.includes(name) && count === 0 ? "!" : " "} ${name.padEnd(26)} ${String(count).padStart(7)}`);
  const columns = 3;
  const rows: string[] = [];
  for (let index = 0; index < cells.length; index += columns) rows.push(cells.slice(index, index + columns).join("   "));
  return rows.join("\n");
}
