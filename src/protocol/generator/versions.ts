/**
 * Version ranges as the schemas write them: "N", "N-M", "N+" or "none". A range is closed;
 * `max` is null for an open-ended "N+".
 */
export interface VersionRange {
  readonly min: number;
  readonly max: number | null;
}

/** The empty range ("none"); `min > max` keeps every range operation uniform. */
export const NO_VERSIONS: VersionRange = { min: 1, max: 0 };

export function parseVersions(text: string, where: string): VersionRange {
  const trimmed = text.trim();
  if (trimmed === 'none') return NO_VERSIONS;
  const open = /^(\d+)\+$/.exec(trimmed);
  if (open) return { min: Number(open[1]), max: null };
  const closed = /^(\d+)(?:-(\d+))?$/.exec(trimmed);
  if (closed) {
    const min = Number(closed[1]);
    const max = closed[2] === undefined ? min : Number(closed[2]);
    if (max >= min) return { min, max };
  }
  throw new Error(`${where}: invalid version range "${text}"`);
}

export function isEmpty(range: VersionRange): boolean {
  return range.max !== null && range.max < range.min;
}

export function intersect(a: VersionRange, b: VersionRange): VersionRange {
  const min = Math.max(a.min, b.min);
  const max = a.max === null ? b.max : b.max === null ? a.max : Math.min(a.max, b.max);
  const result = { min, max };
  return isEmpty(result) ? NO_VERSIONS : result;
}

/** The smallest range holding both (ranges here never have gaps worth keeping). */
export function hull(a: VersionRange, b: VersionRange): VersionRange {
  if (isEmpty(a)) return b;
  if (isEmpty(b)) return a;
  const max = a.max === null || b.max === null ? null : Math.max(a.max, b.max);
  return { min: Math.min(a.min, b.min), max };
}

export function contains(range: VersionRange, version: number): boolean {
  return version >= range.min && (range.max === null || version <= range.max);
}

/** True when every version of `inner` is in `outer`. */
export function covers(outer: VersionRange, inner: VersionRange): boolean {
  if (isEmpty(inner)) return true;
  if (inner.min < outer.min) return false;
  if (outer.max === null) return true;
  return inner.max !== null && inner.max <= outer.max;
}

/**
 * How a version test reads inside code that only runs for `context` versions: 'always',
 * 'never', or a TypeScript condition on `version` with the bounds the context already
 * implies left out.
 */
export type VersionCondition = 'always' | 'never' | string;

export function versionCondition(range: VersionRange, context: VersionRange): VersionCondition {
  const within = intersect(range, context);
  if (isEmpty(within)) return 'never';
  if (covers(within, context)) return 'always';
  const tests: string[] = [];
  if (within.min > context.min) tests.push(`version >= ${within.min}`);
  if (within.max !== null && (context.max === null || within.max < context.max)) {
    tests.push(`version <= ${within.max}`);
  }
  if (tests.length === 2 && within.min === within.max) return `version === ${within.min}`;
  return tests.join(' && ');
}

export function formatVersions(range: VersionRange): string {
  if (isEmpty(range)) return 'none';
  if (range.max === null) return `${range.min}+`;
  return range.min === range.max ? `${range.min}` : `${range.min}-${range.max}`;
}

/** The complement of versionCondition within `context` (for "field absent" checks). */
export function versionConditionNot(range: VersionRange, context: VersionRange): VersionCondition {
  const within = intersect(range, context);
  if (isEmpty(within)) return 'always';
  if (covers(within, context)) return 'never';
  const tests: string[] = [];
  if (within.min > context.min) tests.push(`version < ${within.min}`);
  if (within.max !== null && (context.max === null || within.max < context.max)) {
    tests.push(`version > ${within.max}`);
  }
  return tests.join(' || ');
}
