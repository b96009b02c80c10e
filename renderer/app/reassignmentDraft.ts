import type { PartitionReplicasRow } from '../../src/api/schemas/reassignments';

/**
 * A reassignment plan as the wizard edits it: each partition's proposed replicas as the text
 * the user types ("2, 3"), checked here so a typo is named on its row before anything is sent.
 */
export interface DraftRow {
  readonly topic: string;
  readonly partition: number;
  readonly current: readonly number[];
  readonly text: string;
}

export function draftFrom(current: readonly PartitionReplicasRow[], proposed: readonly PartitionReplicasRow[]): DraftRow[] {
  const before = new Map(current.map((entry) => [`${entry.topic}\u0000${entry.partition}`, entry.replicas]));
  return proposed.map((entry) => ({ topic: entry.topic, partition: entry.partition, current: before.get(`${entry.topic}\u0000${entry.partition}`) ?? [], text: entry.replicas.join(', ') }));
}

export function parseReplicaList(text: string): { ok: true; replicas: number[] } | { ok: false; error: string } {
  const parts = text.split(/[\s,]+/).filter((part) => part !== '');
  if (parts.length === 0) return { ok: false, error: 'List at least one broker id' };
  const bad = parts.find((part) => !/^\d+$/.test(part));
  if (bad !== undefined) return { ok: false, error: `"${bad}" is not a broker id` };
  const replicas = parts.map(Number);
  const twice = replicas.find((id, index) => replicas.indexOf(id) !== index);
  if (twice !== undefined) return { ok: false, error: `Broker ${twice} is listed twice` };
  return { ok: true, replicas };
}

export interface PlanPartition {
  topic: string;
  partition: number;
  replicas: number[];
}

/** The plan to send, or the rows' errors by index. */
export function planOf(rows: readonly DraftRow[]): { ok: true; partitions: PlanPartition[] } | { ok: false; errors: Map<number, string> } {
  const errors = new Map<number, string>();
  const partitions: PlanPartition[] = [];
  rows.forEach((row, index) => {
    const parsed = parseReplicaList(row.text);
    if (parsed.ok) partitions.push({ topic: row.topic, partition: row.partition, replicas: parsed.replicas });
    else errors.set(index, parsed.error);
  });
  return errors.size === 0 ? { ok: true, partitions } : { ok: false, errors };
}
