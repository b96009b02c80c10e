import type { AdminSession } from './adminSession';
import { alterBrokerConfigs, describeBrokerConfigs } from './brokerConfigs';
import type { PartitionReplicas } from './reassignmentPlan';
import { alterTopicConfigs, describeTopicConfigs } from './topicConfigs';

/**
 * The replication throttle of a reassignment, as kafka-reassign-partitions.sh --throttle
 * sets it (KIP-73): a bytes/s rate on every broker taking part (leader and follower rates),
 * and per topic the replicas it applies to: leader.replication.throttled.replicas lists the
 * current replicas of the moving partitions (any of them may lead while the data is copied),
 * follower.replication.throttled.replicas the replicas being added. Entries of other
 * partitions already in those lists are kept.
 */
export const THROTTLE_RATES = ['leader.replication.throttled.rate', 'follower.replication.throttled.rate'] as const;
export const LEADER_REPLICAS = 'leader.replication.throttled.replicas';
export const FOLLOWER_REPLICAS = 'follower.replication.throttled.replicas';

export interface TopicThrottle {
  topic: string;
  leader: string[];
  follower: string[];
}

export interface ThrottlePlan {
  /** Every broker holding an old or a new replica of a moving partition. */
  brokers: number[];
  topics: TopicThrottle[];
}

/** `original`: each partition's replicas before any move (an ongoing move's adding replicas left out). */
export function throttlePlan(original: PartitionReplicas[], target: PartitionReplicas[]): ThrottlePlan {
  const before = new Map(original.map((entry) => [`${entry.topic}\u0000${entry.partition}`, entry.replicas]));
  const brokers = new Set<number>();
  const topics = new Map<string, TopicThrottle>();
  for (const entry of target) {
    const current = before.get(`${entry.topic}\u0000${entry.partition}`) ?? [];
    const adding = entry.replicas.filter((id) => !current.includes(id));
    if (adding.length === 0) continue;
    const topic = topics.get(entry.topic) ?? { topic: entry.topic, leader: [], follower: [] };
    topic.leader.push(...current.map((id) => `${entry.partition}:${id}`));
    topic.follower.push(...adding.map((id) => `${entry.partition}:${id}`));
    topics.set(entry.topic, topic);
    for (const id of [...current, ...entry.replicas]) brokers.add(id);
  }
  return { brokers: [...brokers].sort((a, b) => a - b), topics: [...topics.values()] };
}

function entriesOf(list: string | null | undefined): string[] {
  return (list ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/** The list with `added` merged in; `*` already throttles every replica, so it stays as is. */
export function mergeThrottledReplicas(existing: string | null | undefined, added: string[]): string {
  const entries = entriesOf(existing);
  if (entries.includes('*')) return '*';
  return [...entries, ...added.filter((entry) => !entries.includes(entry))].join(',');
}

/** The list without the entries of `partitions` (and without `*`), or null when nothing is left. */
export function withoutPartitions(existing: string, partitions: number[]): string | null {
  const kept = entriesOf(existing).filter((entry) => entry !== '*' && !partitions.includes(Number(entry.split(':')[0])));
  return kept.length === 0 ? null : kept.join(',');
}

async function throttledReplicaLists(session: AdminSession, topic: string): Promise<{ leader: string | null; follower: string | null }> {
  const configs = await describeTopicConfigs(session, topic);
  const own = (name: string) => configs.find((entry) => entry.name === name && entry.source === 'DYNAMIC_TOPIC_CONFIG')?.value ?? null;
  return { leader: own(LEADER_REPLICAS), follower: own(FOLLOWER_REPLICAS) };
}

/** Sets the rates on every broker of the plan, then merges the throttled replicas into each topic's lists. */
export async function applyThrottle(session: AdminSession, plan: ThrottlePlan, bytesPerSec: number): Promise<void> {
  const rate = String(bytesPerSec);
  for (const brokerId of plan.brokers) {
    await alterBrokerConfigs(session, brokerId, Object.fromEntries(THROTTLE_RATES.map((name) => [name, rate])), []);
  }
  for (const topic of plan.topics) {
    const lists = await throttledReplicaLists(session, topic.topic);
    await alterTopicConfigs(session, topic.topic, { [LEADER_REPLICAS]: mergeThrottledReplicas(lists.leader, topic.leader), [FOLLOWER_REPLICAS]: mergeThrottledReplicas(lists.follower, topic.follower) }, []);
  }
}

/** The throttle configs in force for some topics and brokers: what a removal changes, for the audit log. */
export interface ThrottleState {
  topics: Record<string, { leader: string | null; follower: string | null }>;
  /** Per broker id, the throttle rates it has its own value for. */
  brokers: Record<string, Partial<Record<(typeof THROTTLE_RATES)[number], string>>>;
}

export async function readThrottle(session: AdminSession, topics: string[], brokerIds: number[]): Promise<ThrottleState> {
  const state: ThrottleState = { topics: {}, brokers: {} };
  for (const topic of topics) state.topics[topic] = await throttledReplicaLists(session, topic);
  for (const brokerId of brokerIds) {
    const configs = await describeBrokerConfigs(session, brokerId);
    const own = configs.filter((entry) => (THROTTLE_RATES as readonly string[]).includes(entry.name) && entry.source === 'DYNAMIC_BROKER_CONFIG');
    if (own.length > 0) state.brokers[String(brokerId)] = Object.fromEntries(own.map((entry) => [entry.name, entry.value ?? '']));
  }
  return state;
}

interface TopicListChange {
  topic: string;
  set: Record<string, string>;
  remove: string[];
}

/** What removing the throttle of `partitions` changes, given the configs in force. */
function removalChanges(state: ThrottleState, partitions: PartitionReplicas[]): { topics: TopicListChange[]; brokers: number[] } {
  const topics: TopicListChange[] = [];
  for (const [topic, lists] of Object.entries(state.topics)) {
    const numbers = partitions.filter((entry) => entry.topic === topic).map((entry) => entry.partition);
    const change: TopicListChange = { topic, set: {}, remove: [] };
    for (const [name, value] of [
      [LEADER_REPLICAS, lists.leader],
      [FOLLOWER_REPLICAS, lists.follower],
    ] as const) {
      if (value === null) continue;
      const next = withoutPartitions(value, numbers);
      if (next === null) change.remove.push(name);
      else if (next !== value) change.set[name] = next;
    }
    if (change.remove.length > 0 || Object.keys(change.set).length > 0) topics.push(change);
  }
  return { topics, brokers: Object.keys(state.brokers).map(Number) };
}

/** Whether removing the throttle of `partitions` would change anything. */
export function hasThrottle(state: ThrottleState, partitions: PartitionReplicas[]): boolean {
  const changes = removalChanges(state, partitions);
  return changes.topics.length > 0 || changes.brokers.length > 0;
}

export interface ThrottleRemoval {
  /** Topics whose throttled-replica lists lost the plan's partitions. */
  topics: string[];
  /** Brokers whose throttle rates were deleted. */
  brokers: number[];
}

/**
 * Removes what a throttled --execute of `partitions` set: their entries in the topics'
 * throttled-replica lists (deleting a list left empty, and a `*`, as Kafka's tool deletes the
 * lists) and the throttle rates the brokers in `state` have.
 */
export async function removeThrottle(session: AdminSession, state: ThrottleState, partitions: PartitionReplicas[]): Promise<ThrottleRemoval> {
  const changes = removalChanges(state, partitions);
  for (const change of changes.topics) await alterTopicConfigs(session, change.topic, change.set, change.remove);
  for (const brokerId of changes.brokers) await alterBrokerConfigs(session, brokerId, {}, Object.keys(state.brokers[String(brokerId)] ?? {}));
  return { topics: changes.topics.map((change) => change.topic), brokers: changes.brokers };
}
