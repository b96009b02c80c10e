import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../../protocol/errors';
import { InvalidConfigError, TOPIC_CONFIGS, validateTopicConfigs } from '../config/configDefinitions';
import { applyConfigOperations, changedConfigs, type ConfigOperation } from '../config/configOperations';
import { DYNAMIC_BROKER_CONFIGS } from '../config/dynamicBrokerConfigs';
import { imageRecords } from '../metadata/imageRecords';
import { MetadataImage } from '../metadata/metadataImage';
import {
  NO_LEADER,
  type BrokerId,
  type BrokerRegistration,
  type MetadataLogEntry,
  type MetadataRecord,
  type PartitionState,
  type TopicId,
} from '../metadata/records';
import { MetadataLog } from './metadataLog';
import { PlacementError, placeReplicas } from './replicaPlacement';

export interface ControllerConfig {
  metadataDir: string;
  /** num.partitions: partitions for topics created without a count (and auto-created ones). */
  numPartitions: number;
  /** default.replication.factor. */
  defaultReplicationFactor: number;
  /**
   * The largest replica set this cluster can serve. Brokers do not replicate between
   * processes yet (that arrives with follower fetching), so the embedded cluster sets 1 and
   * refuses larger ones with a clear error instead of creating partitions that never commit.
   */
  maxReplicationFactor?: number;
  /** unclean.leader.election.enable for topics without an override (Kafka's default: false). */
  uncleanLeaderElectionEnable?: string;
}

export interface AlterPartitionRequest {
  brokerId: BrokerId;
  topicId: TopicId;
  partition: number;
  leaderEpoch: number;
  partitionEpoch: number;
  newIsr: BrokerId[];
}

export type ElectionType = 'preferred' | 'unclean';

export interface ReassignmentRequest {
  topic: string;
  partition: number;
  /** The target replicas, or null to cancel an ongoing reassignment. */
  replicas: BrokerId[] | null;
}

export interface OngoingReassignment {
  topic: string;
  partition: number;
  replicas: BrokerId[];
  addingReplicas: BrokerId[];
  removingReplicas: BrokerId[];
}

export interface ElectionResult extends OperationResult {
  topic: string;
  partition: number;
}

export interface OperationResult {
  errorCode: number;
  errorMessage: string | null;
}

const ok: OperationResult = { errorCode: ErrorCode.NONE, errorMessage: null };
const fail = (errorCode: number, errorMessage: string): OperationResult => ({ errorCode, errorMessage });

export interface CreateTopicSpec {
  name: string;
  /** -1: num.partitions (unless assignments are given). */
  numPartitions: number;
  /** -1: default.replication.factor (unless assignments are given). */
  replicationFactor: number;
  /** Manual assignment: partition index -> ordered replicas. */
  assignments: { partition: number; brokerIds: BrokerId[] }[];
  configs: Record<string, string>;
}

export interface CreateTopicResult extends OperationResult {
  name: string;
  topicId: TopicId | null;
  numPartitions: number;
  replicationFactor: number;
}

export type { ConfigOperation };

const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;
/** A log is compacted at start when it has this many records and this many times the snapshot's. */
const COMPACT_MIN_RECORDS = 1000;
const COMPACT_RATIO = 2;
const MAX_TOPIC_NAME_LENGTH = 249;

export function topicNameProblem(name: string): string | undefined {
  if (name === '') return 'Topic name is empty';
  if (name === '.' || name === '..') return `Topic name cannot be "${name}"`;
  if (name.length > MAX_TOPIC_NAME_LENGTH) return `Topic name is longer than ${MAX_TOPIC_NAME_LENGTH} characters`;
  if (!LEGAL_TOPIC_NAME.test(name)) return `Topic name "${name}" contains characters other than ASCII letters, digits, '.', '_' and '-'`;
  return undefined;
}

/**
 * The cluster's single metadata writer. Every change becomes records appended to the
 * persisted metadata log and then published to subscribers (brokers) in order, so all
 * brokers see the same sequence of states. Methods are synchronous: the controller's event
 * loop owns the state and no change can interleave with another.
 */
export class Controller {
  /** What the start's log compaction did, if it ran (for the host's log). */
  readonly compaction: { replacedRecords: number; snapshotRecords: number } | null;
  private readonly log: MetadataLog;
  private current: MetadataImage;
  private readonly listeners = new Set<(entries: MetadataLogEntry[]) => void>();

  constructor(private readonly config: ControllerConfig) {
    this.log = MetadataLog.open(config.metadataDir);
    this.current = imageOf(this.log);
    // At start, before any broker follows the log, a log mostly made of superseded states is
    // replaced by a snapshot of the image (KRaft snapshots its log the same way, periodically).
    // The image is rebuilt from it: its offset must be the new log's, or it would skip appends.
    const snapshot = imageRecords(this.current);
    const replaced = this.log.endOffset;
    if (replaced >= COMPACT_MIN_RECORDS && replaced >= COMPACT_RATIO * snapshot.length) {
      this.log.replaceWith(snapshot);
      this.current = imageOf(this.log);
      this.compaction = { replacedRecords: replaced, snapshotRecords: snapshot.length };
    } else {
      this.compaction = null;
    }
  }

  /** The cluster metadata as of the last committed record; read-only for callers. */
  get image(): MetadataImage {
    return this.current;
  }

  /** Calls `listener` with every entry appended from now on. */
  subscribe(listener: (entries: MetadataLogEntry[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  readFrom(offset: number): MetadataLogEntry[] {
    return this.log.readFrom(offset);
  }

  private commit(records: MetadataRecord[]): void {
    if (records.length === 0) return;
    const entries = this.log.append(records);
    for (const entry of entries) this.image.apply(entry);
    for (const listener of this.listeners) listener(entries);
  }

  close(): void {
    this.log.close();
    this.listeners.clear();
  }

  // ---- Brokers -------------------------------------------------------------------------

  /** A broker process announced itself: register (or re-register) it and unfence it. */
  registerBroker(registration: BrokerRegistration): void {
    const existing = this.image.brokers.get(registration.brokerId);
    const records: MetadataRecord[] = [];
    const same =
      existing !== undefined &&
      existing.host === registration.host &&
      existing.port === registration.port &&
      existing.rack === registration.rack &&
      existing.incarnationId === registration.incarnationId;
    if (!same) records.push({ type: 'broker-registered', ...registration });
    else if (existing.fenced) records.push({ type: 'broker-unfenced', brokerId: registration.brokerId });
    this.commit(records);
    this.commit(this.electForOfflinePartitions());
  }

  /**
   * A broker stopped or missed its session: it leaves every ISR it was in (unless it is the
   * last member, which KRaft keeps so that the partition can come back clean with it), and
   * partitions it led elect a new leader from the ISR.
   */
  fenceBroker(brokerId: BrokerId): void {
    const broker = this.image.brokers.get(brokerId);
    if (broker === undefined || broker.fenced) return;
    this.commit([{ type: 'broker-fenced', brokerId }]);
    const changes: MetadataRecord[] = [];
    for (const state of this.allPartitions()) {
      if (!state.isr.includes(brokerId) && state.leader !== brokerId) continue;
      const isr = state.isr.length > 1 ? state.isr.filter((id) => id !== brokerId) : state.isr;
      if (state.leader !== brokerId) {
        changes.push(this.partitionChange(state, { isr }));
        continue;
      }
      const clean = this.cleanLeader(state.replicas, isr);
      const unclean = clean === NO_LEADER && this.uncleanAllowed(state.topicId) ? this.anyLiveReplica(state.replicas) : NO_LEADER;
      // An unclean leader starts a new history: it alone is in sync, and the others truncate to it.
      changes.push(this.partitionChange(state, unclean !== NO_LEADER ? { isr: [unclean], leader: unclean } : { isr, leader: clean }));
    }
    this.commit(changes);
  }

  private allPartitions(): PartitionState[] {
    return [...this.image.topicsById.values()].flatMap((topic) => topic.partitions);
  }

  /** Clean election: the first live replica, in assignment order, that is in the ISR. */
  private cleanLeader(replicas: readonly BrokerId[], isr: readonly BrokerId[]): BrokerId {
    return replicas.find((id) => isr.includes(id) && this.image.isLive(id)) ?? NO_LEADER;
  }

  private electForOfflinePartitions(): MetadataRecord[] {
    const changes: MetadataRecord[] = [];
    for (const state of this.allPartitions()) {
      if (state.leader !== NO_LEADER) continue;
      const leader = this.cleanLeader(state.replicas, state.isr);
      if (leader !== NO_LEADER) {
        changes.push(this.partitionChange(state, { leader }));
      } else if (this.uncleanAllowed(state.topicId)) {
        const unclean = this.anyLiveReplica(state.replicas);
        if (unclean !== NO_LEADER) changes.push(this.partitionChange(state, { leader: unclean, isr: [unclean] }));
      }
    }
    return changes;
  }

  private anyLiveReplica(replicas: readonly BrokerId[]): BrokerId {
    return replicas.find((id) => this.image.isLive(id)) ?? NO_LEADER;
  }

  /** unclean.leader.election.enable: the topic's override, else the cluster's setting (default false). */
  private uncleanAllowed(topicId: TopicId): boolean {
    const topicValue = this.image.topicsById.get(topicId)?.configs['unclean.leader.election.enable'];
    const value = topicValue ?? this.image.brokerConfigs.get('unclean.leader.election.enable') ?? this.config.uncleanLeaderElectionEnable ?? 'false';
    return value.trim().toLowerCase() === 'true';
  }

  /** A new partition record with epochs bumped as Kafka does: leader epoch only on a leader change. */
  private partitionChange(
    state: PartitionState,
    change: Partial<Pick<PartitionState, 'isr' | 'leader' | 'replicas' | 'addingReplicas' | 'removingReplicas'>>,
  ): MetadataRecord {
    const next: PartitionState = { ...state, ...change };
    return {
      type: 'partition',
      ...next,
      leaderEpoch: next.leader !== state.leader ? state.leaderEpoch + 1 : state.leaderEpoch,
      partitionEpoch: state.partitionEpoch + 1,
    };
  }

  // ---- Topics --------------------------------------------------------------------------

  createTopics(specs: readonly CreateTopicSpec[], validateOnly = false): CreateTopicResult[] {
    const seen = new Set<string>();
    return specs.map((spec) => {
      const failed = (errorCode: number, message: string): CreateTopicResult => ({
        ...fail(errorCode, message),
        name: spec.name,
        topicId: null,
        numPartitions: -1,
        replicationFactor: -1,
      });
      if (seen.has(spec.name)) return failed(ErrorCode.INVALID_REQUEST, `Topic "${spec.name}" appears more than once in the request`);
      seen.add(spec.name);
      const nameProblem = topicNameProblem(spec.name);
      if (nameProblem !== undefined) return failed(ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
      if (this.image.topicsByName.has(spec.name)) return failed(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic "${spec.name}" already exists`);
      try {
        validateTopicConfigs(spec.configs);
      } catch (error) {
        if (error instanceof InvalidConfigError) return failed(ErrorCode.INVALID_CONFIG, error.message);
        throw error;
      }
      const planned = this.planAssignments(spec);
      if ('errorCode' in planned) return failed(planned.errorCode, planned.errorMessage ?? '');
      const topicId = randomBytes(16).toString('base64url');
      const result: CreateTopicResult = {
        ...ok,
        name: spec.name,
        topicId,
        numPartitions: planned.length,
        replicationFactor: planned[0]?.length ?? 0,
      };
      if (!validateOnly) {
        this.commit([
          { type: 'topic-created', topicId, name: spec.name, configs: { ...spec.configs } },
          ...planned.map((replicas, partition) => this.newPartition(topicId, partition, replicas)),
        ]);
      }
      return result;
    });
  }

  private newPartition(topicId: TopicId, partition: number, replicas: BrokerId[]): MetadataRecord {
    const live = replicas.filter((id) => this.image.isLive(id));
    const isr = live.length > 0 ? live : replicas;
    return {
      type: 'partition',
      topicId,
      partition,
      replicas,
      isr,
      leader: this.cleanLeader(replicas, isr),
      leaderEpoch: 0,
      partitionEpoch: 0,
      addingReplicas: [],
      removingReplicas: [],
    };
  }

  private planAssignments(spec: CreateTopicSpec): BrokerId[][] | OperationResult {
    if (spec.assignments.length > 0) {
      if (spec.numPartitions !== -1 || spec.replicationFactor !== -1) {
        return fail(ErrorCode.INVALID_REQUEST, 'Give either a manual assignment or partitions and replication factor, not both');
      }
      return this.checkManualAssignment(spec.assignments, 0);
    }
    const partitions = spec.numPartitions === -1 ? this.config.numPartitions : spec.numPartitions;
    const replicationFactor = spec.replicationFactor === -1 ? this.config.defaultReplicationFactor : spec.replicationFactor;
    if (partitions < 1) return fail(ErrorCode.INVALID_PARTITIONS, `Number of partitions must be at least 1, got ${partitions}`);
    if (replicationFactor < 1) {
      return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor must be at least 1, got ${replicationFactor}`);
    }
    const limit = this.replicationLimitProblem(replicationFactor);
    if (limit !== undefined) return limit;
    try {
      return placeReplicas(this.image.liveBrokers(), partitions, replicationFactor, this.placementStart());
    } catch (error) {
      if (error instanceof PlacementError) return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Cannot place replicas: ${error.message}`);
      throw error;
    }
  }

  private replicationLimitProblem(replicationFactor: number): OperationResult | undefined {
    const max = this.config.maxReplicationFactor;
    if (max === undefined || replicationFactor <= max) return undefined;
    return fail(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `Replication factor ${replicationFactor} is not available yet: this cluster's brokers do not replicate between each other, so use ${max}`,
    );
  }

  /** Varies the first leader between topics so single-partition topics do not all land on broker 1. */
  private placementStart(): number {
    return this.image.topicsById.size;
  }

  private checkManualAssignment(
    assignments: readonly { partition: number; brokerIds: BrokerId[] }[],
    firstPartition: number,
  ): BrokerId[][] | OperationResult {
    const sorted = [...assignments].sort((a, b) => a.partition - b.partition);
    const replicationFactor = sorted[0]?.brokerIds.length ?? 0;
    const limit = this.replicationLimitProblem(replicationFactor);
    if (limit !== undefined) return limit;
    for (const [i, assignment] of sorted.entries()) {
      if (assignment.partition !== firstPartition + i) {
        return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Partitions must be numbered consecutively from ${firstPartition}`);
      }
      if (assignment.brokerIds.length === 0 || assignment.brokerIds.length !== replicationFactor) {
        return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Every partition must have the same, non-zero number of replicas');
      }
      if (new Set(assignment.brokerIds).size !== assignment.brokerIds.length) {
        return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Partition ${assignment.partition} lists a broker twice`);
      }
      const unknown = assignment.brokerIds.find((id) => !this.image.brokers.has(id));
      if (unknown !== undefined) return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Broker ${unknown} does not exist`);
    }
    return sorted.map((assignment) => [...assignment.brokerIds]);
  }

  deleteTopic(nameOrId: { name?: string | null; topicId?: TopicId | null }): OperationResult & { name: string | null; topicId: TopicId | null } {
    const topic =
      nameOrId.topicId !== undefined && nameOrId.topicId !== null
        ? this.image.topicsById.get(nameOrId.topicId)
        : this.image.topicsByName.get(nameOrId.name ?? '');
    if (topic === undefined) {
      const byId = nameOrId.topicId !== undefined && nameOrId.topicId !== null;
      return {
        ...fail(
          byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          byId ? `No topic has id ${nameOrId.topicId}` : `Topic "${nameOrId.name}" does not exist`,
        ),
        name: nameOrId.name ?? null,
        topicId: nameOrId.topicId ?? null,
      };
    }
    this.commit([{ type: 'topic-removed', topicId: topic.topicId }]);
    return { ...ok, name: topic.name, topicId: topic.topicId };
  }

  createPartitions(
    name: string,
    totalCount: number,
    assignments: BrokerId[][] | null,
    validateOnly = false,
  ): OperationResult {
    const topic = this.image.topicsByName.get(name);
    if (topic === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic "${name}" does not exist`);
    const current = topic.partitions.length;
    if (totalCount <= current) {
      return fail(ErrorCode.INVALID_PARTITIONS, `Topic "${name}" already has ${current} partitions; the new count must be larger`);
    }
    const added = totalCount - current;
    const replicationFactor = topic.partitions[0]?.replicas.length ?? 1;
    let planned: BrokerId[][] | OperationResult;
    if (assignments !== null) {
      if (assignments.length !== added) {
        return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Expected assignments for ${added} new partitions, got ${assignments.length}`);
      }
      planned = this.checkManualAssignment(
        assignments.map((brokerIds, i) => ({ partition: current + i, brokerIds })),
        current,
      );
    } else {
      try {
        planned = placeReplicas(this.image.liveBrokers(), added, replicationFactor, current);
      } catch (error) {
        if (error instanceof PlacementError) return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `Cannot place replicas: ${error.message}`);
        throw error;
      }
    }
    if ('errorCode' in planned) return planned;
    if (!validateOnly) {
      this.commit(planned.map((replicas, i) => this.newPartition(topic.topicId, current + i, replicas)));
    }
    return ok;
  }

  /**
   * Applies config operations to a topic: all or nothing. `replace` (AlterConfigs) first
   * clears every override not in the list, like Kafka's non-incremental API.
   */
  alterTopicConfigs(name: string, operations: readonly ConfigOperation[], replace: boolean, validateOnly = false): OperationResult {
    const topic = this.image.topicsByName.get(name);
    if (topic === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic "${name}" does not exist`);
    const change = applyConfigOperations(topic.configs, operations, replace, (configName) => TOPIC_CONFIGS.get(configName));
    if ('unknownName' in change) return fail(ErrorCode.INVALID_CONFIG, `Unknown topic config "${change.unknownName}"`);
    if ('invalid' in change) return fail(ErrorCode.INVALID_CONFIG, change.invalid);
    const next = change.overrides;
    try {
      validateTopicConfigs(next);
    } catch (error) {
      if (error instanceof InvalidConfigError) return fail(ErrorCode.INVALID_CONFIG, error.message);
      throw error;
    }
    if (!validateOnly) {
      this.commit(changedConfigs(topic.configs, next).map((change) => ({ type: 'topic-config', topicId: topic.topicId, ...change })));
    }
    return ok;
  }

  /**
   * Dynamic broker configs (KIP-226) of one broker (`resourceName` its id) or of the whole
   * cluster (`resourceName` ""). Like Kafka, a broker setting that is not dynamic is refused
   * with INVALID_REQUEST ("Cannot update these configs dynamically"); a bad value of a
   * dynamic one gets INVALID_CONFIG naming it.
   */
  alterBrokerConfigs(resourceName: string, operations: readonly ConfigOperation[], replace: boolean, validateOnly = false): OperationResult {
    if (resourceName !== '' && !/^\d+$/.test(resourceName)) {
      return fail(ErrorCode.INVALID_REQUEST, `A broker config resource is named by a broker id, or "" for the cluster-wide default; got "${resourceName}"`);
    }
    const brokerId = resourceName === '' ? null : Number(resourceName);
    const fixed = [...new Set(operations.map((operation) => operation.name).filter((name) => !DYNAMIC_BROKER_CONFIGS.has(name)))];
    if (fixed.length > 0) {
      return fail(
        ErrorCode.INVALID_REQUEST,
        `Cannot update these configs dynamically: ${fixed.join(', ')} (only ${[...DYNAMIC_BROKER_CONFIGS.keys()].join(' and ')} change while the cluster runs)`,
      );
    }
    const current = Object.fromEntries(brokerId === null ? this.image.brokerConfigs : (this.image.perBrokerConfigs.get(brokerId) ?? []));
    const change = applyConfigOperations(current, operations, replace, (name) => DYNAMIC_BROKER_CONFIGS.get(name));
    if ('unknownName' in change) return fail(ErrorCode.INVALID_REQUEST, `Cannot update these configs dynamically: ${change.unknownName}`);
    if ('invalid' in change) return fail(ErrorCode.INVALID_CONFIG, change.invalid);
    const next = change.overrides;
    for (const [name, value] of Object.entries(next)) {
      const problem = DYNAMIC_BROKER_CONFIGS.get(name)?.validate?.(value.trim());
      if (problem !== undefined) return fail(ErrorCode.INVALID_CONFIG, `Invalid value for ${name}: ${problem}`);
    }
    if (!validateOnly) this.commit(changedConfigs(current, next).map((change) => ({ type: 'broker-config', brokerId, ...change })));
    return ok;
  }

  // ---- Replication ---------------------------------------------------------------------

  /**
   * A leader asks to change its partition's ISR (Kafka's AlterPartition, KIP-497). The
   * request carries the leader and partition epochs it saw; a stale one is refused, so an
   * old leader or an overtaken request can never overwrite a newer decision.
   */
  alterPartition(request: AlterPartitionRequest): OperationResult & { partitionEpoch: number } {
    const topic = this.image.topicsById.get(request.topicId);
    const state = topic?.partitions[request.partition];
    const refuse = (errorCode: number, message: string) => ({ ...fail(errorCode, message), partitionEpoch: state?.partitionEpoch ?? -1 });
    if (topic === undefined || state === undefined) return refuse(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'No such partition');
    if (state.leader !== request.brokerId) return refuse(ErrorCode.NOT_LEADER_OR_FOLLOWER, `Broker ${request.brokerId} is not the leader`);
    if (request.leaderEpoch !== state.leaderEpoch) return refuse(ErrorCode.FENCED_LEADER_EPOCH, `Leader epoch ${request.leaderEpoch} is not the current ${state.leaderEpoch}`);
    if (request.partitionEpoch !== state.partitionEpoch) {
      return refuse(ErrorCode.INVALID_UPDATE_VERSION, `Partition epoch ${request.partitionEpoch} is not the current ${state.partitionEpoch}`);
    }
    const isr = state.replicas.filter((id) => request.newIsr.includes(id));
    if (!isr.includes(request.brokerId) || isr.length !== new Set(request.newIsr).size) {
      return refuse(ErrorCode.INVALID_REQUEST, 'The new ISR must contain the leader and only assigned replicas');
    }
    const added = isr.filter((id) => !state.isr.includes(id));
    const fenced = added.find((id) => !this.image.isLive(id));
    if (fenced !== undefined) return refuse(ErrorCode.INELIGIBLE_REPLICA, `Broker ${fenced} is not alive, so it cannot join the ISR`);
    this.commit([this.partitionChange(state, { isr })]);
    this.commit(this.completeReassignment(request.topicId, request.partition));
    const current = this.image.topicsById.get(request.topicId)?.partitions[request.partition];
    return { ...ok, partitionEpoch: current?.partitionEpoch ?? state.partitionEpoch + 1 };
  }

  // ---- Reassignment (KIP-455) ------------------------------------------------------------

  /**
   * Starts, changes or cancels reassignments. While one runs, the replica set is target ∪
   * original, with the adding and removing sets recorded; added replicas catch up as
   * followers, and the reassignment completes when all of them are in the ISR. Cancelling
   * restores the original replicas (those not being added).
   */
  alterPartitionReassignments(requests: readonly ReassignmentRequest[]): (OperationResult & { topic: string; partition: number })[] {
    return requests.map(({ topic, partition, replicas }) => {
      const done = (result: OperationResult) => ({ ...result, topic, partition });
      const topicInfo = this.image.topicsByName.get(topic);
      const state = topicInfo?.partitions[partition];
      if (topicInfo === undefined || state === undefined) return done(fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `${topic}-${partition} does not exist`));
      const original = state.replicas.filter((id) => !state.addingReplicas.includes(id));
      if (replicas === null) {
        if (state.addingReplicas.length === 0 && state.removingReplicas.length === 0) {
          return done(fail(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, `No reassignment of ${topic}-${partition} is in progress`));
        }
        const isr = state.isr.filter((id) => original.includes(id));
        const keepsLeader = original.includes(state.leader);
        const newIsr = isr.length > 0 ? isr : original.filter((id) => this.image.isLive(id)).slice(0, 1);
        const leader = keepsLeader ? state.leader : this.cleanLeader(original, newIsr);
        this.commit([this.partitionChange(state, { replicas: original, isr: newIsr, leader, addingReplicas: [], removingReplicas: [] })]);
        return done(ok);
      }
      if (replicas.length === 0 || new Set(replicas).size !== replicas.length) {
        return done(fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'The target replicas must be a non-empty list of distinct brokers'));
      }
      const unknown = replicas.find((id) => !this.image.brokers.has(id));
      if (unknown !== undefined) return done(fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Broker ${unknown} does not exist`));
      const adding = replicas.filter((id) => !original.includes(id));
      const removing = original.filter((id) => !replicas.includes(id));
      if (adding.length === 0 && removing.length === 0) {
        // Same set: only the order (and so the preferred leader) changes, at once.
        this.commit([this.partitionChange(state, { replicas: [...replicas], addingReplicas: [], removingReplicas: [] })]);
        return done(ok);
      }
      const all = [...replicas, ...original.filter((id) => !replicas.includes(id))];
      this.commit([this.partitionChange(state, { replicas: all, addingReplicas: adding, removingReplicas: removing })]);
      this.commit(this.completeReassignment(topicInfo.topicId, partition));
      return done(ok);
    });
  }

  /** Finishes a reassignment whose added replicas are all in sync. */
  private completeReassignment(topicId: TopicId, partition: number): MetadataRecord[] {
    const state = this.image.topicsById.get(topicId)?.partitions[partition];
    if (state === undefined || (state.addingReplicas.length === 0 && state.removingReplicas.length === 0)) return [];
    if (!state.addingReplicas.every((id) => state.isr.includes(id))) return [];
    const replicas = state.replicas.filter((id) => !state.removingReplicas.includes(id));
    const isr = state.isr.filter((id) => replicas.includes(id));
    const leader = replicas.includes(state.leader) ? state.leader : this.cleanLeader(replicas, isr);
    return [this.partitionChange(state, { replicas, isr, leader, addingReplicas: [], removingReplicas: [] })];
  }

  listPartitionReassignments(partitions: { topic: string; partition: number }[] | null): OngoingReassignment[] {
    const result: OngoingReassignment[] = [];
    for (const topic of this.image.topicsByName.values()) {
      for (const state of topic.partitions) {
        if (state.addingReplicas.length === 0 && state.removingReplicas.length === 0) continue;
        if (partitions !== null && !partitions.some((p) => p.topic === topic.name && p.partition === state.partition)) continue;
        result.push({ topic: topic.name, partition: state.partition, replicas: state.replicas, addingReplicas: state.addingReplicas, removingReplicas: state.removingReplicas });
      }
    }
    return result;
  }

  /**
   * ElectLeaders: `preferred` moves leadership to the first assigned replica when it is alive
   * and in sync; `unclean` gives a leaderless partition any live replica, accepting the data
   * loss that may follow. `partitions` null means every partition.
   */
  electLeaders(type: ElectionType, partitions: { topic: string; partition: number }[] | null): ElectionResult[] {
    const wanted =
      partitions ??
      [...this.image.topicsByName.values()].flatMap((topic) => topic.partitions.map((p) => ({ topic: topic.name, partition: p.partition })));
    const results: ElectionResult[] = [];
    const records: MetadataRecord[] = [];
    for (const { topic, partition } of wanted) {
      const state = this.image.partition(topic, partition);
      const result = (code: number, message: string | null): ElectionResult => ({ errorCode: code, errorMessage: message, topic, partition });
      if (state === undefined) {
        if (partitions !== null) results.push(result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `${topic}-${partition} does not exist`));
        continue;
      }
      if (type === 'preferred') {
        const preferred = state.replicas[0]!;
        if (state.leader === preferred) {
          if (partitions !== null) results.push(result(ErrorCode.ELECTION_NOT_NEEDED, `Broker ${preferred} already leads ${topic}-${partition}`));
          continue;
        }
        if (!this.image.isLive(preferred) || !state.isr.includes(preferred)) {
          results.push(result(ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE, `Preferred leader ${preferred} of ${topic}-${partition} is not alive and in sync`));
          continue;
        }
        records.push(this.partitionChange(state, { leader: preferred }));
        results.push(result(ErrorCode.NONE, null));
        continue;
      }
      if (state.leader !== NO_LEADER) {
        if (partitions !== null) results.push(result(ErrorCode.ELECTION_NOT_NEEDED, `${topic}-${partition} already has leader ${state.leader}`));
        continue;
      }
      const leader = this.anyLiveReplica(state.replicas);
      if (leader === NO_LEADER) {
        results.push(result(ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE, `No replica of ${topic}-${partition} is alive`));
        continue;
      }
      records.push(this.partitionChange(state, { leader, isr: [leader] }));
      results.push(result(ErrorCode.NONE, null));
    }
    this.commit(records);
    return results;
  }

  // ---- Producer ids --------------------------------------------------------------------

  /** Hands out a block of producer ids (Kafka's AllocateProducerIds), persisted so ids never repeat. */
  allocateProducerIds(count: number): { firstProducerId: number; count: number } {
    const first = this.image.nextProducerId;
    this.commit([{ type: 'producer-ids', nextProducerId: first + count }]);
    return { firstProducerId: first, count };
  }
}

function imageOf(log: MetadataLog): MetadataImage {
  const image = new MetadataImage();
  for (const entry of log.readFrom(0)) image.apply(entry);
  return image;
}
