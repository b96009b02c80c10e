import { describe, expect, it } from 'vitest';
import { rankCommands, type Command } from '../../../renderer/app/commands';

const command = (label: string, kind = 'Topic'): Command => ({ id: `${kind}:${label}`, label, kind, href: `#/${label}` });
const commands = [command('Overview', 'Page'), command('Topics', 'Page'), command('payments-orders'), command('orders'), command('orders-v2'), command('audit.log')];

describe('rankCommands', () => {
  it('lists everything, in order, for an empty query', () => {
    expect(rankCommands(commands, '  ')).toEqual(commands);
  });

  it('ranks a prefix above a word start above a substring above a subsequence', () => {
    expect(rankCommands(commands, 'ord').map((entry) => entry.label)).toEqual(['orders', 'orders-v2', 'payments-orders']);
    expect(rankCommands(commands, 'log').map((entry) => entry.label)).toEqual(['audit.log']);
    expect(rankCommands(commands, 'ordv2').map((entry) => entry.label)).toEqual(['orders-v2']);
  });

  it('ignores case', () => {
    expect(rankCommands(commands, 'TOPICS').map((entry) => entry.label)).toEqual(['Topics']);
  });

  it('finds nothing when the characters are not there in order', () => {
    expect(rankCommands(commands, 'zz')).toEqual([]);
  });

  it('stops at the limit', () => {
    expect(rankCommands(commands, 'o', 2)).toHaveLength(2);
  });
});
