//! Every heap-walk invariant of the UVM implementation, in evaluation order. All of them run
//! after every command, except those marked `quiescentOnly`, which run only when no thread
//! is parked mid-operation.

import { amapReferences } from "./amap-references.ts";
import { anonReferences } from "./anon-references.ts";
import { cleanObjects } from "./clean-objects.ts";
import { framesOwnedOnce } from "./frames.ts";
import type { HeapInvariant } from "./heap.ts";
import { lockIdentity } from "./lock-identity.ts";
import { loanAccounting, loanedPagesReadOnly, zeroPage } from "./loans.ts";
import { objectReferences } from "./object-references.ts";
import { ownershipLinks } from "./ownership.ts";
import { pageQueues } from "./page-queues.ts";
import { queueMembership } from "./queue-membership.ts";
import { parkedThreadsOnly, quiescence } from "./quiescence.ts";
import { anonResidency, swapSlots, wiredPagesOffSwap } from "./swap.ts";
import { noFakeMapped, translationsMatchLayers } from "./translations.ts";
import { wiringFromEntries } from "./wiring.ts";
import { copyOnWriteObjectsReadOnly, needsCopyReadOnly, sharedAnonsReadOnly } from "./write-protection.ts";

export const uvmInvariants: readonly HeapInvariant[] = [
  quiescence,
  parkedThreadsOnly,
  framesOwnedOnce,
  ownershipLinks,
  anonReferences,
  amapReferences,
  objectReferences,
  lockIdentity,
  pageQueues,
  queueMembership,
  translationsMatchLayers,
  noFakeMapped,
  sharedAnonsReadOnly,
  copyOnWriteObjectsReadOnly,
  needsCopyReadOnly,
  cleanObjects,
  loanAccounting,
  loanedPagesReadOnly,
  zeroPage,
  anonResidency,
  wiredPagesOffSwap,
  swapSlots,
  wiringFromEntries,
];
