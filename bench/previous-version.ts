//! The previous version's speed, measured before issue 16's changes on the machine
//! docs/performance.md describes, so that bench can print today's figure as a ratio of it.

/**
 * The default campaign (`uvmcheck run --runs 300 --seed 1 --no-db`, main at 28cd83b): 20365
 * checked commands in 31.42 s user + 2.31 s system CPU, the whole process (startup
 * included): 604 checked commands per second per core.
 */
export const previousWholeProcess = { commandsPerSecondPerCore: 604, commit: "28cd83b" } as const;

/**
 * bench's own campaign measure at its defaults (runs 0-19 of seed 1, up to 100 commands, CPU
 * time, warmed up), main's runCampaign and this branch's loaded into one process and run in
 * interleaved rounds: main 273 checked commands per second per core (this branch 288).
 */
export const previousSameMeasure = { commandsPerSecondPerCore: 273, commit: "28cd83b" } as const;
