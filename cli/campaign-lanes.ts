//! Where `uvmcheck run` carries out its runs: on this thread (`--jobs 1`, or a single run),
//! or on a pool of `--jobs N` worker threads (cli/campaign-worker.mjs), each run a task
//! (cli/campaign-task.ts). Either way the campaign is the same
//! (properties/hunting/interruptible-campaign.ts): lanes change when runs happen, not what
//! they find.

import Tinypool from "tinypool";
import type { CampaignOptions } from "../properties/hunting/campaign.ts";
import { inThisThread, type RunLanes, type RunReport } from "../properties/hunting/interruptible-campaign.ts";
import type { CampaignSpec, RunTask } from "./campaign-task.ts";

/**
 * Runs `work` with lanes for the campaign `options` (described for workers by `spec`):
 * `jobs` worker threads, or this thread when `jobs` is 1. Ensures: the pool is gone when
 * `work` settles.
 */
export async function withLanes<T>(jobs: number, options: CampaignOptions, spec: CampaignSpec, work: (lanes: RunLanes) => Promise<T>): Promise<T> {
  if (jobs <= 1) return work(inThisThread(options));
  const pool = new Tinypool({ filename: new URL("./campaign-worker.mjs", import.meta.url).href, minThreads: jobs, maxThreads: jobs });
  try {
    return await work({
      lanes: jobs,
      execute: async (index, signals) => (await pool.run({ spec, index, signals } satisfies RunTask)) as RunReport,
    });
  } finally {
    await pool.destroy();
  }
}
