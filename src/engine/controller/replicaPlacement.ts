import type { BrokerId } from '../metadata/records';

export interface PlacementBroker {
  brokerId: BrokerId;
  rack: string | null;
}

export class PlacementError extends Error {
  override readonly name = 'PlacementError';
}

/**
 * Assigns replicas for new partitions the way Kafka's default placement does: leaders are
 * spread round-robin from a start broker, followers are shifted by an increasing step so
 * no two partitions share the same replica list pattern. With racks, brokers are first
 * interleaved by rack so consecutive replicas land on different racks.
 */
export function placeReplicas(
  brokers: readonly PlacementBroker[],
  partitionCount: number,
  replicationFactor: number,
  startIndex = 0,
): BrokerId[][] {
  if (brokers.length === 0) throw new PlacementError('no brokers are available');
  if (replicationFactor < 1) throw new PlacementError(`replication factor must be at least 1, got ${replicationFactor}`);
  if (replicationFactor > brokers.length) {
    throw new PlacementError(
      `replication factor ${replicationFactor} is larger than the ${brokers.length} available broker${brokers.length === 1 ? '' : 's'}`,
    );
  }
  const ordered = interleaveByRack(brokers);
  const rackOf = new Map(brokers.map((broker) => [broker.brokerId, broker.rack]));
  const rackCount = new Set(brokers.map((broker) => broker.rack)).size;
  const count = ordered.length;
  const assignments: BrokerId[][] = [];
  for (let i = 0; i < partitionCount; i++) {
    const leaderIndex = (startIndex + i) % count;
    const shift = 1 + (Math.floor((startIndex + i) / count) % Math.max(1, count - 1));
    // Followers are taken from the shifted sequence; a candidate on a rack that already holds
    // a replica is passed over until every rack has one, then any broker will do.
    const candidates: BrokerId[] = [];
    for (let j = 0; j < count - 1; j++) {
      candidates.push(ordered[(leaderIndex + 1 + ((shift - 1 + j) % (count - 1))) % count]!);
    }
    const replicas: BrokerId[] = [ordered[leaderIndex]!];
    const racksUsed = new Set([rackOf.get(replicas[0]!)]);
    for (const candidate of candidates) {
      if (replicas.length === replicationFactor) break;
      if (racksUsed.has(rackOf.get(candidate)) && racksUsed.size < rackCount) continue;
      replicas.push(candidate);
      racksUsed.add(rackOf.get(candidate));
    }
    for (const candidate of candidates) {
      if (replicas.length === replicationFactor) break;
      if (!replicas.includes(candidate)) replicas.push(candidate);
    }
    assignments.push(replicas);
  }
  return assignments;
}

/** r1-b1, r2-b2, r3-b3, r1-b4...: alternating racks; without racks, ascending ids. */
function interleaveByRack(brokers: readonly PlacementBroker[]): BrokerId[] {
  const sorted = [...brokers].sort((a, b) => a.brokerId - b.brokerId);
  if (sorted.every((broker) => broker.rack === null)) return sorted.map((broker) => broker.brokerId);
  const byRack = new Map<string, BrokerId[]>();
  for (const broker of sorted) {
    const rack = broker.rack ?? '';
    byRack.set(rack, [...(byRack.get(rack) ?? []), broker.brokerId]);
  }
  const racks = [...byRack.keys()].sort();
  const result: BrokerId[] = [];
  for (let round = 0; result.length < sorted.length; round++) {
    for (const rack of racks) {
      const id = byRack.get(rack)![round];
      if (id !== undefined) result.push(id);
    }
  }
  return result;
}
