import { AdminError } from './adminError';
import type { FileOffset, ResetPlanRow } from './offsetResetPlan';

/**
 * The CSV that kafka-consumer-groups.sh writes with --export and reads with --from-file:
 * `topic,partition,offset` per line for one group, or `group,topic,partition,offset` when the
 * plan covers several groups. No header line, as Kafka writes none.
 */
export function parseResetCsv(text: string, source: string, group: string): FileOffset[] {
  const offsets: FileOffset[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${source} line ${index + 1}`;
    const fields = line.split(',').map((field) => field.trim());
    let topic: string | undefined;
    let partitionText: string | undefined;
    let offsetText: string | undefined;
    if (fields.length === 3) {
      [topic, partitionText, offsetText] = fields;
    } else if (fields.length === 4) {
      const [fileGroup] = fields;
      if (fileGroup !== group) return; // a multi-group plan: the rows of other groups are not ours
      [, topic, partitionText, offsetText] = fields;
    } else {
      throw new AdminError('invalid-input', `${where}: expected topic,partition,offset (or group,topic,partition,offset), got "${line}"`);
    }
    if (!topic) throw new AdminError('invalid-input', `${where}: the topic is empty`);
    if (!/^\d+$/.test(partitionText!)) throw new AdminError('invalid-input', `${where}: partition "${partitionText}" is not a whole number`);
    if (!/^\d+$/.test(offsetText!)) throw new AdminError('invalid-input', `${where}: offset "${offsetText}" is not a whole number of at least 0`);
    const partition = Number(partitionText);
    const key = `${topic}:${partition}`;
    if (seen.has(key)) throw new AdminError('invalid-input', `${where}: ${topic}-${partition} appears more than once`);
    seen.add(key);
    offsets.push({ topic, partition, offset: Number(offsetText) });
  });
  if (offsets.length === 0) throw new AdminError('invalid-input', `${source} holds no offsets for group ${group}`);
  return offsets;
}

/** The plan's new offsets in Kafka's single-group format, sorted as Kafka's tool sorts them. */
export function formatResetCsv(rows: Pick<ResetPlanRow, 'topic' | 'partition' | 'newOffset'>[]): string {
  return [...rows]
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
    .map((row) => `${row.topic},${row.partition},${row.newOffset}\n`)
    .join('');
}
