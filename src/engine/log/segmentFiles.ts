import { join } from 'node:path';

/**
 * Kafka's on-disk naming: every file of a segment is named by the segment's base offset as
 * 20 zero-padded digits, so a plain directory listing sorts segments by offset and an operator
 * can find the segment holding an offset by name.
 */
export const SegmentSuffix = {
  Log: '.log',
  OffsetIndex: '.index',
  TimeIndex: '.timeindex',
  TxnIndex: '.txnindex',
} as const;
export type SegmentSuffix = (typeof SegmentSuffix)[keyof typeof SegmentSuffix];

export const SEGMENT_SUFFIXES: readonly SegmentSuffix[] = Object.values(SegmentSuffix);

const OFFSET_DIGITS = 20;
const SEGMENT_FILE = /^(\d{20})(\.log|\.index|\.timeindex|\.txnindex)$/;

export function segmentFileName(baseOffset: number, suffix: SegmentSuffix): string {
  return String(baseOffset).padStart(OFFSET_DIGITS, '0') + suffix;
}

export function segmentFilePath(dir: string, baseOffset: number, suffix: SegmentSuffix): string {
  return join(dir, segmentFileName(baseOffset, suffix));
}

/** The base offset and kind of a segment file, or null for any other file in the directory. */
export function parseSegmentFileName(name: string): { baseOffset: number; suffix: SegmentSuffix } | null {
  const match = SEGMENT_FILE.exec(name);
  if (!match) return null;
  const baseOffset = Number(match[1]);
  if (!Number.isSafeInteger(baseOffset)) return null;
  return { baseOffset, suffix: match[2] as SegmentSuffix };
}
