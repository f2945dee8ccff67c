//! `uvmcheck variants`: every planted bug that `--variant NAME` can switch on: its name,
//! kind and the code it corrupts on one line, its description under it (lines fit 100
//! columns); a system without variants says so. `--json` prints the list as data.

import { type SystemFlags, systemFrom } from "./campaign-options.ts";
import { clip, wrap } from "./output.ts";

export async function variantsCommand(flags: SystemFlags & { readonly json?: boolean }): Promise<number> {
  const { system } = await systemFrom(flags);
  if (flags.json === true) {
    process.stdout.write(`${JSON.stringify(system.variants)}\n`);
    return 0;
  }
  if (system.variants.length === 0) {
    process.stdout.write(`system ${system.name} has no variants (its factory's \`variants\` is empty): nothing for --variant to switch on\n`);
    return 0;
  }
  for (const variant of system.variants) {
    const lines = [clip(`${variant.name}  ${variant.kind}  [${variant.corrupts}]`), ...wrap(["   ", ...variant.description.split(" ")], "    ")];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  process.stdout.write(`${clip(`${system.variants.length} variants of system ${system.name}; \`uvmcheck run --variant NAME\` switches one on`)}\n`);
  return 0;
}
