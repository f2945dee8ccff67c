//! Physical memory: a fixed number of frames of `pageWords` words each, and the free pool.
//!
//! Frames are handed out first-in first-out, so a freed frame stays free (and poisoned) as
//! long as possible: a stale translation or a stale pointer to a freed frame then reads
//! POISON instead of silently reading someone else's data. Allocation can be made to fail
//! (FailureKind `frameAllocation`).
//!
//! Invariants: a frame is either in the free pool or handed out, never both; every word of
//! a free frame is POISON.

import { assert } from "../../vocabulary/assert.ts";
import type { FailureInjector } from "./failure-injector.ts";
import { type FrameNumber, frameNumber } from "./units.ts";

/** What a freed frame holds: never a value a command writes or a file starts with. */
export const POISON = 0xdead;

export class PhysicalMemory {
  readonly frameCount: number;
  readonly pageWords: number;
  private readonly words: Float64Array;
  private readonly freePool: FrameNumber[] = [];
  private freeHead = 0;
  private readonly isFree: Uint8Array;

  constructor(
    frameCount: number,
    pageWords: number,
    private readonly failures: FailureInjector,
  ) {
    assert(frameCount > 0, "PhysicalMemory: no frames");
    assert(pageWords > 0, "PhysicalMemory: empty pages");
    this.frameCount = frameCount;
    this.pageWords = pageWords;
    this.words = new Float64Array(frameCount * pageWords).fill(POISON);
    this.isFree = new Uint8Array(frameCount).fill(1);
    for (let frame = 0; frame < frameCount; frame++) this.freePool.push(frameNumber(frame));
  }

  get freeCount(): number {
    return this.freePool.length - this.freeHead;
  }

  frameIsFree(frame: FrameNumber): boolean {
    return this.isFree[frame] === 1;
  }

  /** Ensures: a frame no one else holds, still poisoned; or null (pool empty or injected failure). */
  allocate(): FrameNumber | null {
    if (this.freeCount === 0) return null;
    if (this.failures.fails("frameAllocation")) return null;
    const frame = this.freePool[this.freeHead++]!;
    if (this.freeHead > 1024 && this.freeHead * 2 > this.freePool.length) {
      this.freePool.splice(0, this.freeHead);
      this.freeHead = 0;
    }
    this.isFree[frame] = 0;
    return frame;
  }

  /** Requires: `frame` is allocated. Ensures: it is poisoned and back in the pool. */
  release(frame: FrameNumber): void {
    this.checkFrame(frame);
    assert(this.isFree[frame] === 0, () => `PhysicalMemory.release: frame ${frame} already free`);
    this.words.fill(POISON, frame * this.pageWords, (frame + 1) * this.pageWords);
    this.isFree[frame] = 1;
    this.freePool.push(frame);
  }

  read(frame: FrameNumber, word: number): number {
    this.checkWord(frame, word);
    return this.words[frame * this.pageWords + word]!;
  }

  write(frame: FrameNumber, word: number, value: number): void {
    this.checkWord(frame, word);
    this.words[frame * this.pageWords + word] = value;
  }

  /** The whole frame, as a fresh array. */
  contents(frame: FrameNumber): number[] {
    this.checkFrame(frame);
    return Array.from(this.words.subarray(frame * this.pageWords, (frame + 1) * this.pageWords));
  }

  fill(frame: FrameNumber, contents: readonly number[]): void {
    this.checkFrame(frame);
    assert(contents.length === this.pageWords, "PhysicalMemory.fill: wrong page size");
    this.words.set(contents, frame * this.pageWords);
  }

  zero(frame: FrameNumber): void {
    this.checkFrame(frame);
    this.words.fill(0, frame * this.pageWords, (frame + 1) * this.pageWords);
  }

  copy(source: FrameNumber, destination: FrameNumber): void {
    this.checkFrame(source);
    this.checkFrame(destination);
    this.words.copyWithin(destination * this.pageWords, source * this.pageWords, (source + 1) * this.pageWords);
  }

  private checkFrame(frame: FrameNumber): void {
    assert(Number.isInteger(frame), () => `PhysicalMemory: frame ${frame} not an integer`);
    assert(frame >= 0, () => `PhysicalMemory: negative frame ${frame}`);
    assert(frame < this.frameCount, () => `PhysicalMemory: no frame ${frame}`);
  }

  private checkWord(frame: FrameNumber, word: number): void {
    this.checkFrame(frame);
    assert(Number.isInteger(word), () => `PhysicalMemory: word ${word} not an integer`);
    assert(word >= 0, () => `PhysicalMemory: negative word ${word}`);
    assert(word < this.pageWords, () => `PhysicalMemory: no word ${word}`);
  }
}
