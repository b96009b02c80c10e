import { summarizeTopic } from '../admin/topics';
import type { TopicRow } from '../api/schemas/topics';
import type { MetadataResponse } from '../protocol/generated/metadataResponse';

type NamedTopic = MetadataResponse['topics'][number] & { name: string };

/** [ISR size, partitions] pairs, smallest ISR first: usually one pair, every partition fully in sync. */
function isrSizes(topic: NamedTopic): TopicRow['isrSizes'] {
  const counts = new Map<number, number>();
  for (const partition of topic.partitions) counts.set(partition.isrNodes.length, (counts.get(partition.isrNodes.length) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0] - b[0]);
}

/** Every named topic of one Metadata read as a topics table row, sorted by name; no config read. */
export function topicRowsOf(metadata: MetadataResponse): TopicRow[] {
  return metadata.topics
    .filter((topic): topic is NamedTopic => topic.name !== null)
    .map((topic) => ({ ...summarizeTopic(topic), isrSizes: isrSizes(topic) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
