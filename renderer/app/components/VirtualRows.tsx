import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type RefObject } from 'react';
import { useRowKeyboard, type RowKeyboard } from '../tableKeyboard';

/** Rows rendered beyond the visible ones, so fast scrolling does not show blank space. */
const OVERSCAN = 12;

export interface VirtualRows {
  scroller: RefObject<HTMLDivElement | null>;
  /** Indexes of the rows to render, in order. */
  indexes: number[];
  /** Heights of the spacer rows above and below them. */
  before: number;
  after: number;
  /**
   * First and last index of the rows actually in view (without the overscan), once the
   * scroller has been measured: what a late column should be read for first.
   */
  inView: { readonly first: number; readonly last: number } | null;
  /** Scrolls a row into view (keyboard navigation to a row not rendered yet). */
  scrollToIndex: (index: number) => void;
}

/**
 * The rows of a long table that are in view (TanStack Virtual), so tens of thousands of rows
 * scroll smoothly while the table stays a real <table> for screen readers: render
 * `indexes` between two <SpacerRow>s inside a `.virtual-scroller` holding `scroller`, and
 * give the table aria-rowcount and each row aria-rowindex.
 */
export function useVirtualRows(count: number, rowHeight: number): VirtualRows {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: OVERSCAN });
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  // Read after getVirtualItems, which computes it for this render.
  const range = virtualizer.range;
  const inView = range === null || count === 0 ? null : { first: range.startIndex, last: Math.min(range.endIndex, count - 1) };
  return { scroller, indexes: items.map((item) => item.index), before, after, inView, scrollToIndex: (index) => virtualizer.scrollToIndex(index) };
}

/**
 * useVirtualRows with keyboard navigation of its rows (tableKeyboard): put `scrollerRef` on the
 * `.virtual-scroller` and spread `keyboard.rowProps(index)` on each row; a row moved to
 * that is not rendered yet is scrolled into view first.
 */
export function useKeyboardVirtualRows(count: number, rowHeight: number, onOpen: (index: number) => void): VirtualRows & { keyboard: RowKeyboard; scrollerRef: (element: HTMLDivElement | null) => void } {
  const virtual = useVirtualRows(count, rowHeight);
  const keyboard = useRowKeyboard(count, onOpen, virtual.scrollToIndex);
  const scrollerRef = (element: HTMLDivElement | null) => {
    virtual.scroller.current = element;
    keyboard.containerRef.current = element;
  };
  return { ...virtual, keyboard, scrollerRef };
}

export function SpacerRow({ height, columns }: { height: number; columns: number }) {
  if (height <= 0) return null;
  return (
    <tr aria-hidden="true" className="spacer">
      <td colSpan={columns} style={{ height }} />
    </tr>
  );
}
