//! The disk behind the files: every page of every file, as the vnode pager reads and writes
//! it. Reads can be made to fail with EIO (FailureKind `backingRead`) or EAGAIN
//! (`backingAgain`); writes never fail.

import { assert } from "../../vocabulary/assert.ts";
import { fileId, filePage, wordIndex } from "../../vocabulary/units.ts";
import { initialFileWord, type WorldConfig } from "../../vocabulary/world.ts";
import type { FailureInjector } from "./failure-injector.ts";

export type DiskReadResult = { readonly kind: "ok"; readonly words: number[] } | { readonly kind: "error"; readonly errno: "EIO" | "EAGAIN" };

export class BackingStore {
  private readonly files: number[][][];

  constructor(
    world: WorldConfig,
    private readonly failures: FailureInjector,
  ) {
    this.files = [];
    for (let file = 0; file < world.files; file++) {
      const pages: number[][] = [];
      for (let page = 0; page < world.filePages; page++) {
        const words: number[] = [];
        for (let word = 0; word < world.pageWords; word++) words.push(initialFileWord(fileId(file), filePage(page), wordIndex(word)));
        pages.push(words);
      }
      this.files.push(pages);
    }
  }

  get fileCount(): number {
    return this.files.length;
  }

  pagesOf(file: number): number {
    return this.checkFile(file).length;
  }

  /** A read as the pager does it: may fail. */
  read(file: number, page: number): DiskReadResult {
    const words = this.page(file, page);
    if (this.failures.fails("backingRead")) return { kind: "error", errno: "EIO" };
    if (this.failures.fails("backingAgain")) return { kind: "error", errno: "EAGAIN" };
    return { kind: "ok", words: [...words] };
  }

  /** A read that never fails, for observations: what is on the platter. */
  peek(file: number, page: number): readonly number[] {
    return this.page(file, page);
  }

  write(file: number, page: number, words: readonly number[]): void {
    const old = this.page(file, page);
    assert(words.length === old.length, "BackingStore.write: wrong page size");
    this.files[file]![page] = [...words];
  }

  private checkFile(file: number): number[][] {
    const pages = this.files[file];
    assert(pages !== undefined, () => `BackingStore: no file ${file}`);
    return pages;
  }

  private page(file: number, page: number): number[] {
    const words = this.checkFile(file)[page];
    assert(words !== undefined, () => `BackingStore: file ${file} has no page ${page}`);
    return words;
  }
}
