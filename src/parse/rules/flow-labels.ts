/**
 * Level labels in flow text. The 一级/二级指标 cells are narrow, so their text comes out as short
 * fragments (`产出` `指标`, `服务` `对象` `满意` `度指` `标`), printed before the rows they span or,
 * across a page break, partly after them. Fragments are fed into label streams (one per label column
 * open at the same time); a stream closes when its text is a whole label. Rows read while a stream is
 * open are held and get the labels once it closes, as the merged cell they sit in does.
 */
import { LabelTracker, LEVEL1, LEVEL2_PARENT, isLabelCell } from './labels.js';
import { isHanOnly } from './flow-text.js';

const KNOWN: readonly string[] = [...LEVEL1, ...Object.keys(LEVEL2_PARENT)];

/** The longest width (CJK characters) a label fragment token can have. */
export const MAX_FRAGMENT = 12;

function isKnownPrefix(s: string): boolean {
  return KNOWN.some((k) => k.startsWith(s) && k !== s);
}

function isComplete(s: string): boolean {
  return s.endsWith('指标') && isLabelCell(s) && !isKnownPrefix(s);
}

/** Whether `s` can be (the start of) a label fragment token at all. */
export function isFragmentShape(s: string): boolean {
  return isHanOnly(s) && [...s].length <= MAX_FRAGMENT;
}

export interface Labels {
  level1: string | null;
  level2: string | null;
}

/** Immutable state of the open label streams, so that alternatives can be tried and dropped. */
export interface StreamState {
  open: readonly string[];
  /** Labels completed since the last time labels were applied to rows. */
  batch: readonly string[];
}

export const EMPTY_STREAMS: StreamState = { open: [], batch: [] };

/**
 * Feeds one line's fragments (left to right) into the streams; null when they do not continue
 * any label. A line with several fragments holds one piece of several label columns.
 */
export function feedFragments(state: StreamState, fragments: readonly string[]): StreamState | null {
  let open = [...state.open];
  const batch = [...state.batch];
  const slots = fragments.length > 1 ? fragments.map((_, i) => i) : [-1];
  for (let i = 0; i < fragments.length; i++) {
    const frag = fragments[i]!;
    if (!isFragmentShape(frag)) return null;
    const slot = slots[i]!;
    // One fragment: the first open stream it continues. Several: the i-th open stream, else a new one.
    let target = -1;
    if (slot < 0) {
      target = open.findIndex((s) => isComplete(s + frag) || isKnownPrefix(s + frag));
    } else if (slot < open.length) {
      const s = open[slot]!;
      if (isComplete(s + frag) || isKnownPrefix(s + frag)) target = slot;
      else return null;
    }
    if (target < 0) {
      if (!(isComplete(frag) || isKnownPrefix(frag))) return null;
      open.push(frag);
      target = open.length - 1;
    } else {
      open[target] = open[target]! + frag;
    }
    const text = open[target]!;
    if (isComplete(text)) {
      batch.push(text);
      open = open.filter((_, j) => j !== target);
      // Re-index: later fragments of a multi-fragment line address the remaining streams.
      for (let j = i + 1; j < slots.length; j++) if (slots[j]! > target) slots[j] = slots[j]! - 1;
    }
  }
  return { open, batch };
}

export function hasOpenStreams(state: StreamState): boolean {
  return state.open.length > 0;
}

/**
 * Walks rows and label fragments in printed order and assigns (level1, level2) to every row,
 * retroactively for rows read while a label was still incomplete.
 */
export class LabelAssigner {
  private state: StreamState = EMPTY_STREAMS;
  private readonly tracker = new LabelTracker();
  private pending: number[] = [];
  readonly labels: Labels[] = [];

  get streams(): StreamState {
    return this.state;
  }

  /** Applies a state reached by feeding fragments (see feedFragments). */
  advance(next: StreamState): void {
    this.state = next;
    if (!hasOpenStreams(next) && this.pending.length > 0) this.flush();
  }

  /** A row was read; it gets the current labels now, or when the open streams close. */
  row(index: number): void {
    if (hasOpenStreams(this.state)) {
      this.pending.push(index);
      return;
    }
    this.flush();
    this.labels[index] = { level1: this.tracker.level1, level2: this.tracker.level2 };
  }

  /** End of table: rows still held get what the tracker has; true when every label closed. */
  finish(): boolean {
    const closed = !hasOpenStreams(this.state);
    this.state = { open: [], batch: this.state.batch };
    this.flush();
    return closed;
  }

  private flush(): void {
    if (this.state.batch.length > 0) this.tracker.apply([...this.state.batch]);
    this.state = { open: this.state.open, batch: [] };
    for (const i of this.pending) this.labels[i] = { level1: this.tracker.level1, level2: this.tracker.level2 };
    this.pending = [];
  }
}
