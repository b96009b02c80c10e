/**
 * A sortable column's header content: the whole label is the button (keyboard and screen
 * readers reach it like any button), and the sorted column shows its direction. The `th`
 * carries `aria-sort` (ariaSort below), which is what assistive technology reads.
 */
export type SortDirection = 'asc' | 'desc';

export function SortButton({ label, direction, onClick }: { label: string; direction: SortDirection | null; onClick: () => void }) {
  return (
    <button type="button" className="sort-button" onClick={onClick}>
      {label}
      {direction === null ? null : (
        <span className="sort-mark" aria-hidden="true">
          {direction === 'asc' ? '▲' : '▼'}
        </span>
      )}
    </button>
  );
}

/** The `aria-sort` of a sortable column's header: the direction when sorted by it, else none. */
export function ariaSort(direction: SortDirection | null): 'ascending' | 'descending' | 'none' {
  return direction === null ? 'none' : direction === 'asc' ? 'ascending' : 'descending';
}
