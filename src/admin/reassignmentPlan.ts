import { AdminError } from './adminError';

/**
 * The JSON files of kafka-reassign-partitions.sh, and a balanced plan generator. Pure, so the
 * rules are tested without a cluster:
 *   topics to move:  {"version":1,"topics":[{"topic":"orders"}]}
 *   reassignment:    {"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}
 */
export interface PartitionReplicas {
  topic: string;
  partition: number;
  /** In preference order: the first is the preferred leader. */
  replicas: number[];
}

export function parseTopicsToMoveJson(text: string, source: string): string[] {
  const json = parseJson(text, source);
  const topics = (json as { topics?: unknown }).topics;
  if (!Array.isArray(topics) || topics.length === 0) invalid(`${source} must have a non-empty "topics" array, e.g. {"version":1,"topics":[{"topic":"orders"}]}`);
  const names = (topics as unknown[]).map((entry, index) => {
    const topic = (entry as { topic?: unknown } | null)?.topic;
    if (typeof topic !== 'string' || topic === '') invalid(`${source} topics[${index}] must be {"topic": "<name>"}`);
    return topic as string;
  });
  return [...new Set(names)];
}

export function parseReassignmentJson(text: string, source: string): PartitionReplicas[] {
  const json = parseJson(text, source);
  const partitions = (json as { partitions?: unknown }).partitions;
  if (!Array.isArray(partitions) || partitions.length === 0) invalid(`${source} must have a non-empty "partitions" array`);
  const seen = new Set<string>();
  return (partitions as unknown[]).map((entry, index) => {
    const where = `${source} partitions[${index}]`;
    const { topic, partition, replicas, log_dirs: logDirs } = (entry ?? {}) as { topic?: unknown; partition?: unknown; replicas?: unknown; log_dirs?: unknown };
    if (typeof topic !== 'string' || topic === '') invalid(`${where}: "topic" must be a topic name`);
    if (!Number.isInteger(partition) || (partition as number) < 0) invalid(`${where}: "partition" must be a whole number of at least 0`);
    if (!Array.isArray(replicas) || replicas.length === 0 || !replicas.every((id) => Number.isInteger(id) && id >= 0)) {
      invalid(`${where}: "replicas" must be a non-empty list of broker ids`);
    }
    const ids = replicas as number[];
    if (new Set(ids).size !== ids.length) invalid(`${where}: "replicas" lists a broker twice (${ids.join(',')})`);
    if (logDirs !== undefined) {
      // Moving replicas between a broker's own log directories (KIP-113) is not supported.
      if (!Array.isArray(logDirs) || logDirs.length !== ids.length || logDirs.some((dir) => dir !== 'any')) {
        invalid(`${where}: "log_dirs" may only be "any" for each replica (moves between log directories are not supported)`);
      }
    }
    const key = `${topic}-${partition}`;
    if (seen.has(key)) invalid(`${where}: ${key} appears more than once`);
    seen.add(key);
    return { topic: topic as string, partition: partition as number, replicas: ids };
  });
}

export function formatReassignmentJson(partitions: PartitionReplicas[]): string {
  return JSON.stringify({
    version: 1,
    partitions: sortPartitions(partitions).map((entry) => ({ topic: entry.topic, partition: entry.partition, replicas: entry.replicas, log_dirs: entry.replicas.map(() => 'any') })),
  });
}

/**
 * A plan that spreads the replicas of `current` evenly over `brokers` (replica counts differ
 * by at most one) while moving as few replicas as possible: a replica stays where it is while
 * its broker is in the list and under its share, and only the rest move, each to the least
 * loaded broker that does not already hold that partition. A kept replica keeps its position,
 * so preferred leaders stay put wherever they can.
 */
export function generateReassignment(current: PartitionReplicas[], brokers: number[]): PartitionReplicas[] {
  const ids = [...new Set(brokers)].sort((a, b) => a - b);
  if (ids.length === 0) invalid('--broker-list names no broker');
  const partitions = sortPartitions(current);
  for (const entry of partitions) {
    if (entry.replicas.length > ids.length) {
      invalid(`${entry.topic}-${entry.partition} has ${entry.replicas.length} replicas but --broker-list has only ${ids.length} broker(s)`);
    }
  }
  const total = partitions.reduce((sum, entry) => sum + entry.replicas.length, 0);
  const held = new Map(ids.map((id) => [id, 0]));
  for (const entry of partitions) for (const id of entry.replicas) if (held.has(id)) held.set(id, held.get(id)! + 1);
  // The brokers that already hold the most take the remainder, so fewer replicas leave them.
  const base = Math.floor(total / ids.length);
  const byHeld = [...ids].sort((a, b) => held.get(b)! - held.get(a)! || a - b);
  const capacity = new Map(byHeld.map((id, rank) => [id, base + (rank < total % ids.length ? 1 : 0)]));

  const load = new Map(ids.map((id) => [id, 0]));
  const slots = partitions.map((entry) =>
    entry.replicas.map((id) => {
      if (!capacity.has(id) || load.get(id)! >= capacity.get(id)!) return null;
      load.set(id, load.get(id)! + 1);
      return id;
    }),
  );
  return partitions.map((entry, index) => {
    const replicas = slots[index]!;
    for (let position = 0; position < replicas.length; position++) {
      if (replicas[position] !== null) continue;
      const candidates = ids.filter((id) => !replicas.includes(id) && load.get(id)! < capacity.get(id)!);
      const pick = candidates.sort((a, b) => load.get(a)! - load.get(b)! || a - b)[0];
      if (pick === undefined) invalid(`no broker in --broker-list can take another replica of ${entry.topic}-${entry.partition}`);
      load.set(pick!, load.get(pick!)! + 1);
      replicas[position] = pick!;
    }
    return { topic: entry.topic, partition: entry.partition, replicas: replicas as number[] };
  });
}

/** Replicas that a plan adds to brokers which do not hold them now: the data that has to move. */
export function movedReplicas(current: PartitionReplicas[], proposed: PartitionReplicas[]): number {
  const now = new Map(current.map((entry) => [`${entry.topic}-${entry.partition}`, entry.replicas]));
  return proposed.reduce((sum, entry) => sum + entry.replicas.filter((id) => !(now.get(`${entry.topic}-${entry.partition}`) ?? []).includes(id)).length, 0);
}

function sortPartitions(partitions: PartitionReplicas[]): PartitionReplicas[] {
  return [...partitions].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return invalid(`${source} is not valid JSON: ${(error as Error).message}`);
  }
}

function invalid(message: string): never {
  throw new AdminError('invalid-input', message);
}
