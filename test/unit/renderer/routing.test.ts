import { describe, expect, it } from 'vitest';
import { canonicalHref, parseHash, topicHref, topicTabs } from '../../../renderer/app/routing';

describe('topic addresses', () => {
  it('keep the tab, and the partitions tab is the plain topic address', () => {
    expect(topicHref('orders.v1')).toBe('#/topics/orders.v1');
    expect(topicHref('orders.v1', 'partitions')).toBe('#/topics/orders.v1');
    expect(topicHref('orders.v1', 'configs')).toBe('#/topics/orders.v1/configs');
  });

  it('read back to the same topic and tab, for every tab', () => {
    for (const tab of topicTabs) expect(parseHash(topicHref('payments_eu-west.1', tab))).toEqual({ kind: 'topic', name: 'payments_eu-west.1', tab });
  });

  it('without a tab open the partitions', () => {
    expect(parseHash('#/topics/orders')).toEqual({ kind: 'topic', name: 'orders', tab: 'partitions' });
  });

  it('with a tab this version does not have open the default tab, and are spelled the default way', () => {
    const route = parseHash('#/topics/orders/replicas');
    expect(route).toEqual({ kind: 'topic', name: 'orders', tab: 'partitions' });
    expect(canonicalHref(route)).toBe('#/topics/orders');
    expect(parseHash('#/topics/orders/Configs')).toEqual({ kind: 'topic', name: 'orders', tab: 'partitions' });
  });

  it('name each page one way: the partitions tab spelled out and an escaped name are corrected', () => {
    expect(canonicalHref(parseHash('#/topics/orders/partitions'))).toBe('#/topics/orders');
    expect(canonicalHref(parseHash('#/topics/%6Frders/messages'))).toBe('#/topics/orders/messages');
    expect(canonicalHref(parseHash('#/topics/orders/messages'))).toBe('#/topics/orders/messages');
    expect(canonicalHref(parseHash('#/groups/billing'))).toBeNull();
  });

  it('with an empty name, a broken escape or a path below a tab are no page', () => {
    expect(parseHash('#/topics/%E0%A4/messages')).toEqual({ kind: 'not-found', path: 'topics/%E0%A4/messages' });
    expect(parseHash('#/topics/%E0%A4')).toEqual({ kind: 'not-found', path: 'topics/%E0%A4' });
    expect(parseHash('#/topics/orders/messages/extra')).toEqual({ kind: 'not-found', path: 'topics/orders/messages/extra' });
    expect(parseHash('#/topics/')).toEqual({ kind: 'not-found', path: 'topics/' });
  });

  it('of names with characters that need escaping read back to the same name', () => {
    const href = topicHref('odd name/with#hash', 'configs');
    expect(href).toBe('#/topics/odd%20name%2Fwith%23hash/configs');
    expect(parseHash(href)).toEqual({ kind: 'topic', name: 'odd name/with#hash', tab: 'configs' });
  });
});

describe('other addresses', () => {
  it('keep their pages: groups with slashes in the name, brokers, sections, unknown paths', () => {
    expect(parseHash('#/groups/team%2Fbilling')).toEqual({ kind: 'group', name: 'team/billing' });
    expect(parseHash('#/brokers/3')).toEqual({ kind: 'broker', id: 3 });
    expect(parseHash('#/topics')).toEqual({ kind: 'section', section: 'topics' });
    expect(parseHash('')).toEqual({ kind: 'section', section: 'overview' });
    expect(parseHash('#/nowhere')).toEqual({ kind: 'not-found', path: 'nowhere' });
  });
});
