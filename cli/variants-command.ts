//! `uvmcheck variants`: every planted bug that `--variant NAME` can switch on, one line each.

import { type SystemFlags, systemFrom } from "./campaign-options.ts";

export async function variantsCommand(flags: SystemFlags & { readonly json?: boolean }): Promise<number> {
  const { system } = await systemFrom(flags);
  if (flags.json === true) {
    process.stdout.write(`${JSON.stringify(system.variants)}\n`);
    return 0;
  }
  const width = Math.max(...system.variants.map((variant) => variant.name.length));
  for (const variant of system.variants) {
    process.stdout.write(`${variant.name.padEnd(width)}  ${variant.kind.padEnd(8)}  ${variant.description}  [${variant.corrupts}]\n`);
  }
  return 0;
}
