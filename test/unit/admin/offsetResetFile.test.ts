import { describe, expect, it } from 'vitest';
import { formatResetCsv, parseResetCsv } from '../../../src/admin/offsetResetFile';

describe('offset reset CSV (kafka-consumer-groups.sh --export / --from-file)', () => {
  it('round-trips the single-group format, sorted by topic and partition', () => {
    const csv = formatResetCsv([
      { topic: 'b', partition: 1, newOffset: 7 },
      { topic: 'a', partition: 10, newOffset: 3 },
      { topic: 'a', partition: 2, newOffset: 0 },
    ]);
    expect(csv).toBe('a,2,0\na,10,3\nb,1,7\n');
    expect(parseResetCsv(csv, 'plan.csv', 'g')).toEqual([
      { topic: 'a', partition: 2, offset: 0 },
      { topic: 'a', partition: 10, offset: 3 },
      { topic: 'b', partition: 1, offset: 7 },
    ]);
  });

  it('takes only this group\'s rows of a multi-group file, and tolerates blank lines and CRLF', () => {
    expect(parseResetCsv('g1,t,0,5\r\n\r\ng2,t,0,9\r\ng1,t,1,6\r\n', 'plan.csv', 'g1')).toEqual([
      { topic: 't', partition: 0, offset: 5 },
      { topic: 't', partition: 1, offset: 6 },
    ]);
  });

  it.each([
    ['t,0', /plan.csv line 1: expected topic,partition,offset/],
    ['t,0,5\nt,x,5', /plan.csv line 2: partition "x" is not a whole number/],
    ['t,0,-5', /line 1: offset "-5" is not a whole number of at least 0/],
    [',0,5', /line 1: the topic is empty/],
    ['t,0,5\nt,0,6', /line 2: t-0 appears more than once/],
    ['\n\n', /holds no offsets for group g/],
    ['other,t,0,5', /holds no offsets for group g/],
  ])('rejects %j', (text, message) => {
    expect(() => parseResetCsv(text, 'plan.csv', 'g')).toThrow(message);
  });
});
