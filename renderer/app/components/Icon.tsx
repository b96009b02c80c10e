import type { SectionId } from '../routing';

type IconName = SectionId | 'sun' | 'moon' | 'logo' | 'search';

// 20x20 line icons drawn for Samsa; paths only, coloured by currentColor.
const paths: Record<IconName, string> = {
  overview: 'M3 3h6v6H3zM11 3h6v4h-6zM11 9h6v8h-6zM3 11h6v6H3z',
  clusters: 'M4 5h12v3H4zM4 12h12v3H4zM7 8v4M13 8v4',
  brokers: 'M3 4h14v4H3zM3 12h14v4H3zM6 6h.01M6 14h.01',
  topics: 'M4 5h12M4 10h12M4 15h8',
  groups: 'M7 9a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM2.5 16c0-2.5 2-4 4.5-4s4.5 1.5 4.5 4M14 9a2 2 0 1 0 0-4M14.5 12c1.8.3 3 1.6 3 4',
  reassignments: 'M4 7h10l-3-3M16 13H6l3 3',
  audit: 'M6 3h8l2 2v12H4V3zM7 8h6M7 11h6M7 14h4',
  lab: 'M8 3h4M8.5 3v5L4 15.5A1 1 0 0 0 4.9 17h10.2a1 1 0 0 0 .9-1.5L11.5 8V3M6 12.5h8',
  sun: 'M10 13.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM10 2v2M10 16v2M2 10h2M16 10h2M4.3 4.3l1.4 1.4M14.3 14.3l1.4 1.4M4.3 15.7l1.4-1.4M14.3 5.7l1.4-1.4',
  moon: 'M16 12.5A6.5 6.5 0 0 1 7.5 4a6.5 6.5 0 1 0 8.5 8.5z',
  search: 'M8.5 14a5.5 5.5 0 1 0 0-11 5.5 5.5 0 0 0 0 11zM12.5 12.5 17 17',
  logo: 'M4 5.5h12M4 10h8M4 14.5h10',
};

export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg className={className ?? 'icon'} viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
      <path d={paths[name]} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
