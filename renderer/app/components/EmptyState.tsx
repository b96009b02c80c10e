import type { ReactNode } from 'react';
import { Icon } from './Icon';
import type { SectionId } from '../routing';

export function EmptyState({ icon, title, children }: { icon: SectionId; title: string; children?: ReactNode }) {
  return (
    <div className="empty-state" role="status">
      <span className="empty-icon">
        <Icon name={icon} />
      </span>
      <h2>{title}</h2>
      {children}
    </div>
  );
}
