import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';

/**
 * Keyboard navigation of a table's rows (product guide, "Keyboard first"): one row is in the
 * tab order at a time (a roving tabindex); ArrowUp/ArrowDown, PageUp/PageDown, Home and End
 * move it, Enter opens the row. A virtualised table passes `scrollTo`, so a row that is not
 * rendered yet is scrolled into view and focused once it is.
 */
const PAGE = 10;

export interface RowKeyboard {
  /** Spread on each <tr>. */
  rowProps(index: number): {
    tabIndex: number;
    'data-row-index': number;
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
    onFocus: () => void;
  };
  /** Spread on the element holding the rows (the <tbody> or the scroller). */
  readonly containerRef: React.RefObject<HTMLElement | null>;
}

export function useRowKeyboard(count: number, onOpen: (index: number) => void, scrollTo?: (index: number) => void): RowKeyboard {
  const [active, setActive] = useState(0);
  const [focusWanted, setFocusWanted] = useState(false);
  const containerRef = useRef<HTMLElement | null>(null);
  const current = Math.min(active, Math.max(0, count - 1));

  useEffect(() => {
    if (!focusWanted) return;
    let frames = 0;
    let handle = 0;
    // A virtualised row appears a frame or two after the scroll that brings it into view.
    const tryFocus = () => {
      const row = containerRef.current?.querySelector<HTMLElement>(`[data-row-index="${current}"]`);
      if (row) {
        row.focus();
        setFocusWanted(false);
      } else if (frames++ < 10) {
        handle = requestAnimationFrame(tryFocus);
      } else {
        setFocusWanted(false);
      }
    };
    tryFocus();
    return () => cancelAnimationFrame(handle);
  }, [current, focusWanted]);

  const move = useCallback(
    (to: number) => {
      const next = Math.max(0, Math.min(count - 1, to));
      setActive(next);
      scrollTo?.(next);
      setFocusWanted(true);
    },
    [count, scrollTo],
  );

  return {
    containerRef,
    rowProps: (index) => ({
      tabIndex: index === current ? 0 : -1,
      'data-row-index': index,
      onFocus: () => setActive(index),
      onKeyDown: (event) => {
        // Keys typed into a control inside the row (a button) keep their usual meaning.
        if (event.target !== event.currentTarget) return;
        switch (event.key) {
          case 'ArrowDown':
            move(index + 1);
            break;
          case 'ArrowUp':
            move(index - 1);
            break;
          case 'PageDown':
            move(index + PAGE);
            break;
          case 'PageUp':
            move(index - PAGE);
            break;
          case 'Home':
            move(0);
            break;
          case 'End':
            move(count - 1);
            break;
          case 'Enter':
            onOpen(index);
            break;
          default:
            return;
        }
        event.preventDefault();
      },
    }),
  };
}

/** The hint screen readers announce with the table (aria-describedby). */
export const ROW_KEYBOARD_HINT = 'Use the up and down arrow keys, Home and End to move between rows, and Enter to open one.';
