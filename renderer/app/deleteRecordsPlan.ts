/**
 * The preview of a DeleteRecords: per chosen partition, where its log starts now, where it
 * will start, and how many records go. "all" deletes everything below the high watermark
 * (offset -1, as kafka-delete-records.sh takes it); an offset must lie within the log.
 */
export interface PartitionRange {
  readonly partition: number;
  readonly logStartOffset: number;
  readonly highWatermark: number;
}

export type DeleteTarget = { readonly kind: 'all' } | { readonly kind: 'offset'; readonly text: string };

export interface DeletePlanRow {
  readonly partition: number;
  readonly logStartOffset: number;
  readonly highWatermark: number;
  /** The new log start, or null when the input is invalid. */
  readonly newLogStart: number | null;
  readonly deleted: number;
  readonly error: string | null;
  /** What the API is sent: -1 for "all". */
  readonly requestOffset: number;
}

export function planRecordDeletion(ranges: readonly PartitionRange[], targets: ReadonlyMap<number, DeleteTarget>): DeletePlanRow[] {
  return ranges
    .filter((range) => targets.has(range.partition))
    .map((range) => {
      const target = targets.get(range.partition)!;
      const base = { partition: range.partition, logStartOffset: range.logStartOffset, highWatermark: range.highWatermark };
      if (range.highWatermark < 0) return { ...base, newLogStart: null, deleted: 0, error: 'the partition is offline', requestOffset: -1 };
      if (target.kind === 'all') return { ...base, newLogStart: range.highWatermark, deleted: range.highWatermark - range.logStartOffset, error: null, requestOffset: -1 };
      const text = target.text.trim();
      if (!/^\d+$/.test(text)) return { ...base, newLogStart: null, deleted: 0, error: 'enter a whole offset', requestOffset: 0 };
      const offset = Number(text);
      if (offset < range.logStartOffset || offset > range.highWatermark) {
        return { ...base, newLogStart: null, deleted: 0, error: `between ${range.logStartOffset} and ${range.highWatermark}`, requestOffset: offset };
      }
      return { ...base, newLogStart: offset, deleted: offset - range.logStartOffset, error: null, requestOffset: offset };
    });
}
