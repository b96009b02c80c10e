import { describe, expect, it } from 'vitest';
import { kafkaDatetime, modeInput, type ResetModeFields } from '../../../renderer/app/resetModeForm';

const fields = (changes: Partial<ResetModeFields>): ResetModeFields => ({ mode: 'to-earliest', offset: '', shift: '', datetime: '', duration: '', csv: '', fileName: '', ...changes });

describe('offset reset wizard mode fields', () => {
  it('writes a local date-time in Kafka\'s format with the user\'s zone spelled out', () => {
    expect(kafkaDatetime('2026-11-20T09:00', () => -120)).toBe('2026-11-20T09:00:00.000+02:00');
    expect(kafkaDatetime('2026-11-20T09:00:05', () => 330)).toBe('2026-11-20T09:00:05.000-05:30');
    expect(kafkaDatetime('2026-11-20T09:00:05.5', () => 0)).toBe('2026-11-20T09:00:05.500+00:00');
    expect(kafkaDatetime('yesterday', () => 0)).toBeNull();
  });

  it('turns each mode\'s field into the call\'s mode and names what is wrong otherwise', () => {
    expect(modeInput(fields({ mode: 'shift-by', shift: ' -3 ' }))).toEqual({ ok: true, mode: { mode: 'shift-by', shift: -3 } });
    expect(modeInput(fields({ mode: 'shift-by', shift: '1.5' }))).toEqual({ ok: false, error: expect.stringMatching(/whole number/) });
    expect(modeInput(fields({ mode: 'to-offset', offset: '-1' }))).toEqual({ ok: false, error: expect.stringMatching(/at least 0/) });
    expect(modeInput(fields({ mode: 'to-offset', offset: '42' }))).toEqual({ ok: true, mode: { mode: 'to-offset', offset: 42 } });
    expect(modeInput(fields({ mode: 'by-duration', duration: 'PT1H' }))).toEqual({ ok: true, mode: { mode: 'by-duration', duration: 'PT1H' } });
    expect(modeInput(fields({ mode: 'from-file', csv: 't,0,5\n', fileName: '' }))).toEqual({ ok: true, mode: { mode: 'from-file', csv: 't,0,5\n', fileName: 'reset-offsets.csv' } });
    expect(modeInput(fields({ mode: 'from-file', csv: '  ' })).ok).toBe(false);
  });
});
