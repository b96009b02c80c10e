import { describe, expect, it } from 'vitest';
import { formatAge, formatBytes, formatLag, plural } from '../../../renderer/app/format';

// Intl formats by the machine's locale; these expectations pin en-US, which CI and the test
// machines use, and the separators are read from Intl so another locale would not lie.
const thousands = new Intl.NumberFormat().format(1000).charAt(1);

describe('formatLag', () => {
  it('shows a dash when lag was not computed, not a zero', () => {
    expect(formatLag(null)).toBe('—');
  });

  it('shows small lag exactly, since one message can matter', () => {
    expect(formatLag(0)).toBe('0');
    expect(formatLag(9_999)).toBe(`9${thousands}999`);
  });

  it('shows large lag compactly', () => {
    expect(formatLag(10_000)).toMatch(/^10\s?K$/i);
    expect(formatLag(2_500_000)).toMatch(/^2[.,]5\s?M$/i);
  });
});

describe('formatBytes', () => {
  it('uses binary units with one decimal below 10', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MiB');
  });

  it('shows a dash for an unknown size', () => {
    expect(formatBytes(null)).toBe('—');
  });
});

describe('formatAge', () => {
  it('says how old data is in the largest sensible unit', () => {
    expect(formatAge(0)).toBe('just now');
    expect(formatAge(1_999)).toBe('just now');
    expect(formatAge(12_000)).toBe('12 s ago');
    expect(formatAge(3 * 60_000 + 5_000)).toBe('3 min ago');
    expect(formatAge(2 * 3_600_000)).toBe('2 h ago');
  });

  it('treats a clock slightly ahead of the data as now', () => {
    expect(formatAge(-500)).toBe('just now');
  });
});

describe('plural', () => {
  it('agrees with the count', () => {
    expect(plural(1, 'broker')).toBe('1 broker');
    expect(plural(3, 'broker')).toBe('3 brokers');
    expect(plural(0, 'match', 'matches')).toBe('0 matches');
  });
});
