import { EmptyState } from '../components/EmptyState';
import { useSelectedCluster } from '../selectedCluster';

/**
 * Reassignments are not built yet; the page says so plainly rather than show anything that
 * is not real data.
 */
export function SectionPage({ section }: { section: 'reassignments' }) {
  const { cluster } = useSelectedCluster();
  return (
    <EmptyState icon={section} title="Partition reassignments are not available yet">
      <p>
        This version of Samsa cannot list or run reassignments{cluster === undefined ? '' : ` for ${cluster.name}`}. Use kafka-reassign-partitions.sh meanwhile.
      </p>
    </EmptyState>
  );
}
