import { useSyncExternalStore } from 'react';

/**
 * Hash routes: the app is one index.html loaded from file:// in Electron, where path-based
 * routing has no server to fall back on, so the location lives after the #. Topic and group
 * names are URI-encoded: Kafka allows "." and "-" in them, group ids allow anything.
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
export type Route =
  | { readonly kind: 'section'; readonly section: SectionId }
  | { readonly kind: 'topic'; readonly name: string }
  | { readonly kind: 'group'; readonly name: string }
  | { readonly kind: 'broker'; readonly id: number }
  | { readonly kind: 'not-found'; readonly path: string };

const DEFAULT_SECTION: SectionId = 'overview';

export function hrefFor(section: SectionId): string {
  return `#/${section}`;
}

export function topicHref(name: string): string {
  return `#/topics/${encodeURIComponent(name)}`;
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
  const detail = /^(topics|groups)\/(.+)$/.exec(path);
  if (detail !== null) {
    const name = decode(detail[2]!);
    if (name === undefined || name === '') return { kind: 'not-found', path };
    return detail[1] === 'topics' ? { kind: 'topic', name } : { kind: 'group', name };
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

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseHash(hash);
}
