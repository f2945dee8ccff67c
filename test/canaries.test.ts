// Every canary (a planted bug, off by default) is caught by the normal properties, and by
// the check it was planted for: each invariant and each part of the refinement check has a
// canary that proves it can fail. A campaign reports its first violation only, and with
// some seeds another check sees the bug first; so the budget is a fixed list of seeds, and
// one of them must end in the canary's own check. Budgets are seeds and run counts, not time.
import { beforeAll, describe, expect, it } from "vitest";
import { uvmCanaries } from "../variants/uvm-canaries.ts";
import { ampleSettings, type CampaignSettings, violationWithCheck } from "./support/campaign.ts";
import { prepareUvmVariants } from "./support/variants.ts";

const expectedCheck: Readonly<Record<string, string>> = {
  "canary-1A-write-protect": "invariant:G6 shared-anons-read-only",
  "canary-neighbor-write-protect": "invariant:G6 shared-anons-read-only",
  "canary-cow-object-writable": "invariant:G9 cow-object-pages-read-only",
  "canary-needs-copy-writable": "invariant:G10 needs-copy-read-only",
  "canary-shared-amap-flush": "invariant:G11 translations-match-layers",
  "canary-upper-lookup-shadow": "invariant:G11 translations-match-layers",
  "canary-amap-copy-reference": "invariant:G4 anon-references",
  "canary-fork-share-amap-reference": "invariant:amap-references",
  "canary-anon-page-backlink": "invariant:G12 ownership-links",
  "canary-neighbor-left-busy": "invariant:G1-G2 nothing-busy-nothing-locked",
  "canary-promote-fake": "invariant:G17 no-fake-page-mapped",
  "canary-anon-free-leak": "invariant:frames free-or-owned-once",
  "canary-fork-copy-lock": "invariant:G5 lock-identity",
  "canary-wired-page-queued": "invariant:G14 queues-and-wiring",
  "canary-munlock-keeps-page-wiring": "invariant:G14 wiring-from-entries",
  "canary-vnode-write-clean": "invariant:G13 clean-objects",
  "canary-zero-fill-garbage": "outcome",
  "canary-cow-copy-skip": "observation",
  "canary-loanpage-count": "invariant:G7 loan-accounting",
  "canary-upper-loan-writable": "invariant:G8 loaned-pages-read-only",
  "canary-zero-page-writable": "invariant:zero-page",
  "canary-ubc-skip-loanbreak": "observation",
  "canary-swap-slot-leak": "invariant:swap-slots",
  "canary-wired-keeps-swap": "invariant:G15 wired-pages-off-swap",
  "canary-pagein-keeps-clean": "invariant:G16 anon-residency",
  "canary-shared-anon-copy-shares": "observation",
  "canary-exit-aobj-leak": "healed",
  "canary-mlock-limit-enomem": "outcome",
  "canary-enomem-on-transient-failure": "outcome",
  "canary-lent-page-unqueued": "invariant:queue-membership",
  "canary-orphan-left-queued": "invariant:queue-membership",
  "canary-lock-order": "lock-order",
  "canary-lower-io-slot-recheck": "assertion",
  "canary-relock-fails-efault": "linearizability",
  "canary-sleep-with-lock": "sleep-with-lock",
  "canary-busy-owner": "invariant:G3 busy-pages-owned-by-parked-threads",
  "canary-busy-page-spin": "liveness",
  "canary-shmrm-frees-mapped": "invariant:object-references",
  "canary-shm-unattached-pages-freed": "observation",
};

/** Canaries a check catches only under a property other than the default one. */
const settingsFor: Readonly<Record<string, Partial<CampaignSettings>>> = {
  "canary-mlock-limit-enomem": ampleSettings,
  // Sequential: in threaded runs another check reports the garbage first.
  "canary-zero-fill-garbage": { schedule: "none" },
};

/**
 * Seeds tried first for canaries whose trigger is one exact sequential history: the
 * shared-amap flush needs a private file mapping inherited shared, read, forked, then written
 * by the child (a few runs in a thousand).
 */
const seedsFor: Readonly<Record<string, readonly number[]>> = {
  "canary-shared-amap-flush": [7],
};

const canaries = uvmCanaries;

describe("canaries", () => {
  beforeAll(() => prepareUvmVariants(canaries.map((canary) => canary.name)));

  it("every canary has an expected check, and every invariant and every other check is some canary's target", async () => {
    expect(canaries.map((canary) => canary.name).sort()).toEqual(Object.keys(expectedCheck).sort());
    const { uvmInvariants } = await import("../impl/uvm/invariants/uvm-invariants.ts");
    const targeted = new Set(Object.values(expectedCheck));
    for (const invariant of uvmInvariants) expect(targeted, invariant.name).toContain(`invariant:${invariant.name}`);
    for (const check of ["outcome", "observation", "linearizability", "healed", "assertion", "lock-order", "sleep-with-lock", "liveness"])
      expect(targeted, check).toContain(check);
  });

  for (const canary of canaries) {
    it(`${canary.name} is caught by ${expectedCheck[canary.name]}`, () => {
      const seeds = [...(seedsFor[canary.name] ?? []), 2, 1, 3, 4, 5, 6];
      const found = violationWithCheck(canary.name, expectedCheck[canary.name]!, seeds, 800, settingsFor[canary.name]);
      expect(found, `${canary.name}: no campaign of the budget found it by ${expectedCheck[canary.name]}`).not.toBeNull();
    });
  }
});
