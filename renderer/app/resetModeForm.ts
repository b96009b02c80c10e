import type { ResetModeInput, ResetModeName } from '../../src/api/schemas/offsetReset';

/**
 * The offset reset wizard's mode fields, turned into the call's mode. Kept apart from the
 * component so the conversions (a local date-time into Kafka's format with an explicit zone)
 * are tested on their own.
 */
export interface ResetModeFields {
  mode: ResetModeName;
  offset: string;
  shift: string;
  /** As a datetime-local input gives it: YYYY-MM-DDTHH:mm[:ss[.sss]] in the user's time zone. */
  datetime: string;
  duration: string;
  csv: string;
  fileName: string;
}

export const RESET_MODES: readonly { mode: ResetModeName; label: string; hint: string }[] = [
  { mode: 'to-earliest', label: 'To earliest', hint: 'Re-read everything still retained' },
  { mode: 'to-latest', label: 'To latest', hint: 'Skip to the end: only new messages are read' },
  { mode: 'to-current', label: 'To current', hint: 'Keep the committed offsets (commit them again)' },
  { mode: 'to-offset', label: 'To offset', hint: 'One offset for every chosen partition' },
  { mode: 'shift-by', label: 'Shift by', hint: 'Move each committed offset by N (negative re-reads)' },
  { mode: 'to-datetime', label: 'To date-time', hint: 'The first message at or after a moment' },
  { mode: 'by-duration', label: 'By duration', hint: 'The first message at or after now minus a duration' },
  { mode: 'from-file', label: 'From file', hint: "Kafka's CSV: topic,partition,offset per line" },
];

export type ModeResult = { ok: true; mode: ResetModeInput } | { ok: false; error: string };

export function modeInput(fields: ResetModeFields, timezoneOffsetMinutes: (local: string) => number = browserOffset): ModeResult {
  switch (fields.mode) {
    case 'to-earliest':
    case 'to-latest':
    case 'to-current':
      return { ok: true, mode: { mode: fields.mode } };
    case 'to-offset':
      if (!/^\d+$/.test(fields.offset.trim())) return { ok: false, error: 'The offset is a whole number of at least 0' };
      return { ok: true, mode: { mode: 'to-offset', offset: Number(fields.offset.trim()) } };
    case 'shift-by':
      if (!/^[-+]?\d+$/.test(fields.shift.trim())) return { ok: false, error: 'The shift is a whole number, negative to re-read (e.g. -100)' };
      return { ok: true, mode: { mode: 'shift-by', shift: Number(fields.shift.trim()) } };
    case 'to-datetime': {
      const kafka = kafkaDatetime(fields.datetime, timezoneOffsetMinutes);
      return kafka === null ? { ok: false, error: 'Choose a date and time' } : { ok: true, mode: { mode: 'to-datetime', datetime: kafka } };
    }
    case 'by-duration':
      if (fields.duration.trim() === '') return { ok: false, error: 'Enter an ISO-8601 duration such as PT1H (one hour) or P1D (one day)' };
      return { ok: true, mode: { mode: 'by-duration', duration: fields.duration.trim() } };
    case 'from-file':
      if (fields.csv.trim() === '') return { ok: false, error: 'Paste or load a CSV of topic,partition,offset lines' };
      return { ok: true, mode: { mode: 'from-file', csv: fields.csv, fileName: fields.fileName.trim() || 'reset-offsets.csv' } };
  }
}

/**
 * A datetime-local value as Kafka's YYYY-MM-DDTHH:mm:SS.sss with the user's zone written out
 * (+hh:mm), so the back end, which may run elsewhere, reads the moment the user meant.
 */
export function kafkaDatetime(local: string, timezoneOffsetMinutes: (local: string) => number = browserOffset): string | null {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(local.trim());
  if (match === null) return null;
  const [, minutes, seconds = '00', millis = '000'] = match;
  // getTimezoneOffset is minutes *behind* UTC: UTC+2 gives -120.
  const offset = -timezoneOffsetMinutes(local);
  const sign = offset < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const rest = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${minutes}:${seconds}.${millis.padEnd(3, '0')}${sign}${hours}:${rest}`;
}

function browserOffset(local: string): number {
  return new Date(local).getTimezoneOffset();
}
