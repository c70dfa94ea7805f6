/**
 * OCR reads of a document's pages in flight: the next page is rendered or decoded while earlier
 * ones are read by the OCR pool, with at most one page per core waiting (a page image is megabytes).
 * Pages land in `pages` at their index, in reading order.
 */
import { availableParallelism } from 'node:os';
import type { Page } from './types.js';

export interface PageReads {
  /** Tracks the read of page index `at`; waits while more pages than cores are in flight. */
  add(at: number, read: Promise<Page>): Promise<void>;
  /** Waits for every read (the first failure, in page order, is thrown). */
  done(): Promise<void>;
}

export function pageReads(pages: Page[]): PageReads {
  const pending: { at: number; read: Promise<Page> }[] = [];
  const settle = async ({ at, read }: { at: number; read: Promise<Page> }): Promise<void> => {
    pages[at] = await read;
  };
  return {
    async add(at, read) {
      read.catch(() => undefined); // settled in order below; a failure meanwhile is not an unhandled rejection
      pending.push({ at, read });
      while (pending.length > availableParallelism()) await settle(pending.shift()!);
    },
    async done() {
      for (const p of pending.splice(0)) await settle(p);
    },
  };
}
