import { AdminError } from './adminError';
import type { PartitionReplicas } from './reassignmentPlan';

/**
 * Two reassignments admins ask for by intent rather than by target list, as pure functions
 * of the current assignment so the rules are tested without a cluster:
 *   - drain a broker: move every replica off it onto the others;
 *   - change the replication factor of some partitions.
 * Both move as little as possible: only the replicas that have to change do, every other
 * replica keeps its broker and its position (the first replica is the preferred leader).
 * New replicas go to a rack the partition does not use yet when there is one (as Kafka's
 * rack-aware placement), then to the broker holding the fewest replicas cluster-wide, then,
 * for a preferred-leader slot, to the one that is preferred leader of the fewest partitions.
 * Ties go to the broker fewer of the partitions still to place could use, which keeps the
 * flexible brokers for later and lets a single greedy pass end balanced.
 */
export interface BrokerLoad {
  id: number;
  rack: string | null;
  /** Replicas the broker holds now, across the whole cluster. */
  replicas: number;
  /** Partitions whose preferred leader (first replica) it is now, across the whole cluster. */
  preferredLeaders: number;
}

/** Moves every replica of `broker` in `current` to another broker, in the same position. */
export function drainBroker(current: PartitionReplicas[], broker: number, brokers: BrokerLoad[]): PartitionReplicas[] {
  const others = brokers.filter((entry) => entry.id !== broker);
  if (others.length === 0) invalid(`broker ${broker} is the only broker: there is nowhere to move its replicas`);
  const load = new Loads(brokers);
  const partitions = sorted(current);
  return partitions.map((entry, index) => {
    const position = entry.replicas.indexOf(broker);
    if (position < 0) return entry;
    const replicas = [...entry.replicas];
    load.remove(broker, position === 0);
    const keep = replicas.filter((id) => id !== broker);
    const pick = load.pick(others, keep, position === 0, rackOf(brokers, broker), partitions.slice(index + 1).filter((later) => later.replicas.includes(broker) && (later.replicas[0] === broker) === (position === 0)));
    if (pick === undefined) {
      invalid(`${entry.topic}-${entry.partition} has ${replicas.length} replicas and only ${others.length} other broker(s) exist: lower its replication factor first`);
    }
    replicas[position] = pick;
    load.add(pick, position === 0);
    return { ...entry, replicas };
  });
}

/** Adds replicas at the end, or removes them (never the preferred leader), until each partition has `factor`. */
export function changeReplicationFactor(current: PartitionReplicas[], factor: number, brokers: BrokerLoad[]): PartitionReplicas[] {
  if (!Number.isInteger(factor) || factor < 1) invalid(`the replication factor must be a whole number of at least 1, got ${factor}`);
  if (factor > brokers.length) invalid(`a replication factor of ${factor} needs ${factor} brokers, and the cluster has ${brokers.length}`);
  const load = new Loads(brokers);
  const partitions = sorted(current);
  return partitions.map((entry, index) => {
    const replicas = [...entry.replicas];
    while (replicas.length < factor) {
      const pick = load.pick(brokers, replicas, false, null, partitions.slice(index + 1).filter((later) => later.replicas.length < factor));
      if (pick === undefined) invalid(`no broker can take another replica of ${entry.topic}-${entry.partition}`);
      replicas.push(pick);
      load.add(pick, false);
    }
    while (replicas.length > factor) {
      const position = load.dropPosition(replicas, brokers);
      load.remove(replicas[position]!, false);
      replicas.splice(position, 1);
    }
    return { ...entry, replicas };
  });
}

/** Replica and preferred-leader counts per broker, kept current as a plan takes shape. */
class Loads {
  private readonly replicas = new Map<number, number>();
  private readonly leaders = new Map<number, number>();

  constructor(private readonly brokers: BrokerLoad[]) {
    for (const broker of brokers) {
      this.replicas.set(broker.id, broker.replicas);
      this.leaders.set(broker.id, broker.preferredLeaders);
    }
  }

  add(id: number, leader: boolean): void {
    this.replicas.set(id, (this.replicas.get(id) ?? 0) + 1);
    if (leader) this.leaders.set(id, (this.leaders.get(id) ?? 0) + 1);
  }

  remove(id: number, leader: boolean): void {
    this.replicas.set(id, (this.replicas.get(id) ?? 0) - 1);
    if (leader) this.leaders.set(id, (this.leaders.get(id) ?? 0) - 1);
  }

  /**
   * The best broker for a new replica of a partition that keeps `holding`: on an unused rack
   * first (the departing replica's own rack counts as free, so a drain can stay within it),
   * then the fewest replicas, then for a leader slot the fewest preferred leaderships.
   */
  pick(candidates: BrokerLoad[], holding: number[], leaderSlot: boolean, departingRack: string | null, later: PartitionReplicas[]): number | undefined {
    const usedRacks = new Set(holding.map((id) => rackOf(this.brokers, id)).filter((rack): rack is string => rack !== null));
    const rackScore = (broker: BrokerLoad) => (broker.rack === null ? 1 : broker.rack === departingRack && !usedRacks.has(broker.rack) ? 0 : usedRacks.has(broker.rack) ? 2 : 1);
    const replicas = (broker: BrokerLoad) => this.replicas.get(broker.id)!;
    const leaders = (broker: BrokerLoad) => this.leaders.get(broker.id)!;
    const usableLater = (broker: BrokerLoad) => later.filter((entry) => !entry.replicas.includes(broker.id)).length;
    // A preferred-leader slot balances leaderships first, any other slot replica counts first.
    const [first, second] = leaderSlot ? [leaders, replicas] : [replicas, leaders];
    return candidates
      .filter((broker) => !holding.includes(broker.id))
      .sort((a, b) => rackScore(a) - rackScore(b) || first(a) - first(b) || usableLater(a) - usableLater(b) || second(a) - second(b) || a.id - b.id)[0]?.id;
  }

  /** Which replica to drop: never the first; one sharing its rack with another replica, else the one on the busiest broker. */
  dropPosition(replicas: number[], brokers: BrokerLoad[]): number {
    const rackCount = new Map<string, number>();
    for (const id of replicas) {
      const rack = rackOf(brokers, id);
      if (rack !== null) rackCount.set(rack, (rackCount.get(rack) ?? 0) + 1);
    }
    const score = (id: number) => {
      const rack = rackOf(brokers, id);
      return rack !== null && rackCount.get(rack)! > 1 ? 1 : 0;
    };
    let best = 1;
    for (let position = 2; position < replicas.length; position++) {
      const a = replicas[position]!;
      const b = replicas[best]!;
      if (score(a) > score(b) || (score(a) === score(b) && (this.replicas.get(a) ?? 0) > (this.replicas.get(b) ?? 0))) best = position;
    }
    return best;
  }
}

function rackOf(brokers: BrokerLoad[], id: number): string | null {
  return brokers.find((broker) => broker.id === id)?.rack ?? null;
}

/** Broker loads as the assignment gives them: the input of the strategies above. */
export function brokerLoads(brokers: { id: number; rack: string | null }[], assignment: PartitionReplicas[]): BrokerLoad[] {
  return brokers.map((broker) => ({
    id: broker.id,
    rack: broker.rack,
    replicas: assignment.filter((entry) => entry.replicas.includes(broker.id)).length,
    preferredLeaders: assignment.filter((entry) => entry.replicas[0] === broker.id).length,
  }));
}

function sorted(partitions: PartitionReplicas[]): PartitionReplicas[] {
  return [...partitions].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

function invalid(message: string): never {
  throw new AdminError('invalid-input', message);
}
