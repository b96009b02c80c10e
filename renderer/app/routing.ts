import { useEffect, useSyncExternalStore } from 'react';

/**
 * Hash routes: the app is one index.html loaded from file:// in Electron, where path-based
 * routing has no server to fall back on, so the location lives after the #. Topic and group
 * names are URI-encoded: Kafka allows "." and "-" in them, group ids allow anything. A topic's
 * tab follows its name (#/topics/<name>/<tab>) so that every view of the page has an address.
 */
export const sections = [
  { id: 'overview', title: 'Overview' },
  { id: 'clusters', title: 'Clusters' },
  { id: 'brokers', title: 'Brokers' },
  { id: 'topics', title: 'Topics' },
  { id: 'groups', title: 'Consumer groups' },
  { id: 'lab', title: 'Lab' },
  { id: 'reassignments', title: 'Reassignments' },
  { id: 'audit', title: 'Audit log' },
] as const;

export type SectionId = (typeof sections)[number]['id'];

/** The views of a topic's page; the first is shown when the address names none. */
export const topicTabs = ['partitions', 'messages', 'configs'] as const;
export type TopicTab = (typeof topicTabs)[number];

export type Route =
  | { readonly kind: 'section'; readonly section: SectionId }
  | { readonly kind: 'topic'; readonly name: string; readonly tab: TopicTab }
  | { readonly kind: 'group'; readonly name: string }
  | { readonly kind: 'broker'; readonly id: number }
  | { readonly kind: 'not-found'; readonly path: string };

const DEFAULT_SECTION: SectionId = 'overview';

export function hrefFor(section: SectionId): string {
  return `#/${section}`;
}

/** A topic's page, on one of its tabs: the tab is in the address so a reload or a shared link keeps it. */
export function topicHref(name: string, tab: TopicTab = topicTabs[0]): string {
  const page = `#/topics/${encodeURIComponent(name)}`;
  return tab === topicTabs[0] ? page : `${page}/${tab}`;
}

export function groupHref(name: string): string {
  return `#/groups/${encodeURIComponent(name)}`;
}

export function brokerHref(id: number): string {
  return `#/brokers/${id}`;
}

export function navigate(href: string): void {
  window.location.hash = href.replace(/^#/, '');
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  if (path === '') return { kind: 'section', section: DEFAULT_SECTION };
  const broker = /^brokers\/(\d{1,9})$/.exec(path);
  if (broker !== null) return { kind: 'broker', id: Number(broker[1]) };
  // An encoded topic name holds no "/", so a second segment can only be the tab. A tab this
  // version does not have (an old or mistyped link) opens the topic on its default tab.
  const topic = /^topics\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (topic !== null) {
    const name = decode(topic[1]!);
    const tab = topicTabs.find((candidate) => candidate === topic[2]) ?? topicTabs[0];
    return name === undefined || name === '' ? { kind: 'not-found', path } : { kind: 'topic', name, tab };
  }
  const group = /^groups\/(.+)$/.exec(path);
  if (group !== null) {
    const name = decode(group[1]!);
    return name === undefined || name === '' ? { kind: 'not-found', path } : { kind: 'group', name };
  }
  const section = sections.find((candidate) => candidate.id === path);
  return section === undefined ? { kind: 'not-found', path } : { kind: 'section', section: section.id };
}

/** The section a route belongs to, for the sidebar's current entry. */
export function sectionOf(route: Route): SectionId | undefined {
  switch (route.kind) {
    case 'section':
      return route.section;
    case 'topic':
      return 'topics';
    case 'group':
      return 'groups';
    case 'broker':
      return 'brokers';
    case 'not-found':
      return undefined;
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The one address of a route that has several spellings (a topic page), or null when the route has one. */
export function canonicalHref(route: Route): string | null {
  return route.kind === 'topic' ? topicHref(route.name, route.tab) : null;
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const route = parseHash(hash);
  const canonical = canonicalHref(route);
  useEffect(() => {
    // Replaces rather than pushes: an unknown tab corrected to the default one leaves no history
    // entry that back would return to.
    if (canonical !== null && canonical !== hash) window.location.replace(canonical);
  }, [canonical, hash]);
  return route;
}
