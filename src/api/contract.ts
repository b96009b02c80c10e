import { z } from 'zod';
import { NoInputSchema, type AppInfo } from './schemas/app';
import { AuditListInputSchema, CommandPreviewSchema, type AuditList } from './schemas/audit';
import { BrokerScopeSchema, type BrokerDetail, type BrokerRow } from './schemas/brokers';
import {
  ClusterIdSchema,
  ClusterSecretChangesSchema,
  ClusterSecretsSchema,
  ClusterSettingsSchema,
  type Cluster,
  type ClusterId,
  type ConnectionTestResult,
} from './schemas/cluster';
import { ClusterScopeSchema, type ClusterEntry, type ClusterRef } from './schemas/clusterRef';
import { EmbeddedBrokerInputSchema, EmbeddedStartSchema, type ClusterEvents, type EmbeddedStatus, type TimelineEvent } from './schemas/embedded';
import { GroupLagInputSchema, GroupScopeSchema, type GroupDetail, type GroupLagList, type GroupList } from './schemas/groups';
import { LabRunScopeSchema, LabStartSchema, LabStatusInputSchema, type LabPresets, type LabRunStatus, type LabRunUpdate } from './schemas/lab';
import { ResetOffsetsSchema, type ResetOffsetsResult } from './schemas/offsetReset';
import { LagHistoryInputSchema, type GroupLagHistory, type LagTrends } from './schemas/lag';
import type { ClusterOverview } from './schemas/overview';
import {
  CancelReassignmentSchema,
  ElectPreferredSchema,
  ExecuteReassignmentSchema,
  ParseReassignmentSchema,
  PlanScopeSchema,
  ProposeReassignmentSchema,
  type ElectionResult,
  type OngoingReassignments,
  type PartitionReplicasRow,
  type ProposedReassignment,
  type ReassignmentChangeResult,
  type ReassignmentPreview,
  type ReassignmentVerification,
} from './schemas/reassignments';
import {
  AddPartitionsSchema,
  AlterTopicConfigsSchema,
  DeleteRecordsSchema,
  ProduceMessageSchema,
  ReadMessagesSchema,
  TopicChangePreviewSchema,
  type AddPartitionsResult,
  type AlterTopicConfigsResult,
  type DeleteRecordsResult,
  type MessagePage,
  type ProduceResult,
} from './schemas/topicData';
import { CreateTopicSchema, DeleteTopicSchema, TopicScopeSchema, type TopicChangeResult, type TopicDetail, type TopicList, type TopicMinIsrList } from './schemas/topics';

/**
 * Every call the UI can make and every event it can subscribe to, in one place. Both
 * transports (Electron IPC and HTTP) and the renderer's client are typed from this map, and
 * the dispatcher validates each input against the schema listed here before a handler runs.
 *
 * Adding a call: add an entry below (input schema + `returns<Result>()`), then a handler with
 * the same name in a module under src/api/handlers/ that is part of `handlers` in
 * src/api/handlers/index.ts. The compiler reports a call without a handler.
 *
 * This module is imported by the renderer, so it may only depend on zod and ./schemas.
 */

declare const resultType: unique symbol;
/** Carries a call's result type at compile time only; results are plain JSON data. */
export interface Returns<T> {
  readonly [resultType]?: T;
}
export function returns<T>(): Returns<T> {
  return {};
}

interface CallDefinition {
  readonly summary: string;
  readonly input: z.ZodType;
  readonly result: Returns<unknown>;
}

interface EventDefinition {
  readonly summary: string;
  readonly payload: Returns<unknown>;
}

export const calls = {
  'app.info': {
    summary: 'Version, mode (electron or browser), platform and data directory of the running app',
    input: NoInputSchema,
    result: returns<AppInfo>(),
  },
  'clusters.list': {
    summary: 'The embedded cluster (always first), then saved cluster connections sorted by name; no secrets',
    input: NoInputSchema,
    result: returns<ClusterEntry[]>(),
  },
  'clusters.add': {
    summary: 'Save a new cluster connection; names are unique, ignoring case; secrets go to the secret store, never to clusters.json',
    input: ClusterSettingsSchema.extend({ secrets: ClusterSecretsSchema.optional() }),
    result: returns<Cluster>(),
  },
  'clusters.update': {
    summary: 'Change some settings or secrets of a saved cluster connection',
    input: z
      .strictObject({
        id: ClusterIdSchema,
        changes: ClusterSettingsSchema.partial(),
        secrets: ClusterSecretChangesSchema.optional(),
      })
      .refine((input) => Object.keys(input.changes).length > 0 || Object.keys(input.secrets ?? {}).length > 0, {
        error: 'Give at least one of name, bootstrapServers, security or a secret',
      }),
    result: returns<Cluster>(),
  },
  'clusters.test': {
    summary: 'Connect with these settings, read the cluster id and broker count, disconnect; saves nothing. With id, secrets not given are the saved ones',
    input: z.strictObject({ id: ClusterIdSchema.optional(), settings: ClusterSettingsSchema, secrets: ClusterSecretsSchema.optional() }),
    result: returns<ConnectionTestResult>(),
  },
  'clusters.remove': {
    summary: 'Forget a saved cluster connection (the cluster itself is untouched)',
    input: z.strictObject({ id: ClusterIdSchema }),
    result: returns<{ removed: ClusterId }>(),
  },
  'embedded.status': {
    summary: 'State, bootstrap servers and broker processes of the embedded cluster',
    input: NoInputSchema,
    result: returns<EmbeddedStatus>(),
  },
  'embedded.start': {
    summary: 'Start the embedded cluster (default 3 brokers in <app data dir>/embedded); resolves once every broker serves clients',
    input: EmbeddedStartSchema,
    result: returns<EmbeddedStatus>(),
  },
  'embedded.stop': {
    summary: 'Shut the embedded cluster down cleanly; its data stays on disk for the next start',
    input: NoInputSchema,
    result: returns<EmbeddedStatus>(),
  },
  'embedded.broker': {
    summary: 'Stop (controlled), kill (SIGKILL), start, isolate or heal one broker of the embedded cluster',
    input: EmbeddedBrokerInputSchema,
    result: returns<EmbeddedStatus>(),
  },
  'cluster.overview': {
    summary: 'Health of a cluster: brokers up and down, controller, topic and partition counts, under-replicated, offline, under min ISR, groups with lag',
    input: ClusterScopeSchema,
    result: returns<ClusterOverview>(),
  },
  'cluster.events': {
    summary: 'Recent leader, ISR and broker events of a cluster, oldest first (recorded for the embedded cluster only)',
    input: ClusterScopeSchema,
    result: returns<ClusterEvents>(),
  },
  'brokers.list': {
    summary: 'Brokers with host, rack, leader and replica counts, log dir size and whether each is up',
    input: ClusterScopeSchema,
    result: returns<BrokerRow[]>(),
  },
  'brokers.describe': {
    summary: 'One broker: its row, log directories and every replica it holds (led or followed) with ISR membership, lag behind the leader and size',
    input: BrokerScopeSchema,
    result: returns<BrokerDetail>(),
  },
  'topics.list': {
    summary: 'Every topic (internal ones flagged) with partition count, replication factor, under-replicated and offline counts and ISR sizes, and the number of live brokers, from one Metadata read',
    input: ClusterScopeSchema,
    result: returns<TopicList>(),
  },
  'topics.minInsyncReplicas': {
    summary: "min.insync.replicas of every topic (DescribeConfigs in batches; slower than topics.list, and changing rarely): with topics.list's ISR sizes it gives the partitions under min ISR",
    input: ClusterScopeSchema,
    result: returns<TopicMinIsrList>(),
  },
  'topics.describe': {
    summary: 'One topic: its partition table with leaders, epochs, replicas, ISR, per-replica lag and offsets, and its configs',
    input: TopicScopeSchema,
    result: returns<TopicDetail>(),
  },
  'topics.create': {
    summary: 'Create a topic with a partition count, a replication factor and config overrides (audited)',
    input: CreateTopicSchema,
    result: returns<TopicChangeResult>(),
  },
  'topics.delete': {
    summary: 'Delete a topic and all its data; the input must repeat the topic name as confirmation (audited)',
    input: DeleteTopicSchema,
    result: returns<TopicChangeResult>(),
  },
  'topics.alterConfigs': {
    summary: 'Set and remove config overrides of a topic (audited), or with validateOnly have the broker check the change and get its kafka-configs.sh command',
    input: AlterTopicConfigsSchema,
    result: returns<AlterTopicConfigsResult>(),
  },
  'topics.addPartitions': {
    summary: 'Raise a topic to a larger partition count; the input must repeat the topic name as confirmation (audited)',
    input: AddPartitionsSchema,
    result: returns<AddPartitionsResult>(),
  },
  'topics.deleteRecords': {
    summary: 'Delete the records below an offset (-1: the high watermark) in some partitions; the input must repeat the topic name as confirmation (audited)',
    input: DeleteRecordsSchema,
    result: returns<DeleteRecordsResult>(),
  },
  'topics.previewCommand': {
    summary: 'The Kafka CLI command equivalent to a topic change the user is about to confirm (add partitions, delete records)',
    input: TopicChangePreviewSchema,
    result: returns<{ kafkaCommand: string }>(),
  },
  'messages.read': {
    summary: 'A bounded read of a topic from an offset, a time, the start, the newest N or where the last read stopped; waits up to waitMs for new messages (live tail); joins no group',
    input: ReadMessagesSchema,
    result: returns<MessagePage>(),
  },
  'messages.produce': {
    summary: 'Produce one message (key, value, headers; partition or the partitioner) with acks=all and answer where it landed (audited)',
    input: ProduceMessageSchema,
    result: returns<ProduceResult>(),
  },
  'groups.list': {
    summary: 'Consumer groups with state and member count (ListGroups, then DescribeGroups per coordinator); no offsets are read',
    input: ClusterScopeSchema,
    result: returns<GroupList>(),
  },
  'groups.lag': {
    summary:
      'Total lag of the named consumer groups (at most 500; unknown ones answer null), or without names of a bounded number of groups, the first by name; read in bulk (committed offsets per coordinator, end offsets per leader); figures read within the last 5 s (by the lag sampler or another call) are reused (readAt: when the oldest was read)',
    input: GroupLagInputSchema,
    result: returns<GroupLagList>(),
  },
  'groups.describe': {
    summary: 'One consumer group: members and assignments, per-partition committed offset, end offset and lag',
    input: GroupScopeSchema,
    result: returns<GroupDetail>(),
  },
  'lab.presets': {
    summary: 'The delivery-guarantees lab presets (their settings, summary and what Kafka predicts per fault) and the faults it can inject',
    input: NoInputSchema,
    result: returns<LabPresets>(),
  },
  'lab.start': {
    summary: 'Start a lab run on the embedded cluster: a preset, a fault and optional adjusted settings; refused while another run is under way',
    input: LabStartSchema,
    result: returns<LabRunStatus>(),
  },
  'lab.status': {
    summary: 'A lab run (the latest without runId): its state, phase, counts so far and, once done, its report; null before the first run',
    input: LabStatusInputSchema,
    result: returns<LabRunStatus | null>(),
  },
  'lab.cancel': {
    summary: 'Cancel a lab run: it stops producing and consuming, heals the cluster and deletes its topics, then reports cancelled',
    input: LabRunScopeSchema,
    result: returns<LabRunStatus>(),
  },
  'groups.resetOffsets': {
    summary: 'Plan (dry run) or execute an offset reset of a group with any kafka-consumer-groups.sh mode; executing needs the group name typed again and an Empty group (audited)',
    input: ResetOffsetsSchema,
    result: returns<ResetOffsetsResult>(),
  },
  'reassignments.list': {
    summary: 'Partition reassignments in progress, with how far each adding replica trails the leader',
    input: ClusterScopeSchema,
    result: returns<OngoingReassignments>(),
  },
  'reassignments.propose': {
    summary: 'A reassignment plan for an intent: spread partitions over brokers, drain a broker, or change a replication factor (only partitions that change)',
    input: ProposeReassignmentSchema,
    result: returns<ProposedReassignment>(),
  },
  'reassignments.preview': {
    summary: 'What a plan does: current -> proposed replicas, brokers gaining and losing replicas, bytes to move, its JSON, rollback JSON and Kafka command',
    input: PlanScopeSchema,
    result: returns<ReassignmentPreview>(),
  },
  'reassignments.execute': {
    summary: 'Start a reassignment; the input repeats the confirmation text (audited)',
    input: ExecuteReassignmentSchema,
    result: returns<ReassignmentChangeResult>(),
  },
  'reassignments.cancel': {
    summary: 'Cancel running reassignments of these partitions, restoring their original replicas; the input repeats the confirmation text (audited)',
    input: CancelReassignmentSchema,
    result: returns<{ readonly kafkaCommand: string }>(),
  },
  'reassignments.verify': {
    summary: 'Whether each partition of a plan has its target replicas and no reassignment running (kafka-reassign-partitions.sh --verify)',
    input: PlanScopeSchema,
    result: returns<ReassignmentVerification>(),
  },
  'reassignments.parse': {
    summary: "Read a kafka-reassign-partitions.sh JSON file's partitions, with the CLI's checks and errors",
    input: ParseReassignmentSchema,
    result: returns<readonly PartitionReplicasRow[]>(),
  },
  'leaders.electPreferred': {
    summary: 'Preferred leader election for these partitions (kafka-leader-election.sh --election-type PREFERRED; audited)',
    input: ElectPreferredSchema,
    result: returns<ElectionResult>(),
  },
  'groups.lagTrends': {
    summary: 'Lag over time of the groups the app has sampled (sampling follows the cluster asked about): trend and recent points per group',
    input: ClusterScopeSchema,
    result: returns<LagTrends>(),
  },
  'groups.lagHistory': {
    summary: "One group's sampled lag over time, total and per partition; asking keeps its partitions sampled every tick for a while",
    input: LagHistoryInputSchema,
    result: returns<GroupLagHistory>(),
  },
  'audit.list': {
    summary: 'Changes made through the app or the CLI, newest first: who, when, cluster, what, before and after, the equivalent Kafka command',
    input: AuditListInputSchema,
    result: returns<AuditList>(),
  },
  'commands.preview': {
    summary: 'The equivalent command-line command of a destructive action, for its confirmation dialog',
    input: CommandPreviewSchema,
    result: returns<{ command: string; note: string | null }>(),
  },
} as const satisfies Record<string, CallDefinition>;

/** What a data.changed hint says may be stale; the renderer refetches only those queries. */
export type DataResource = 'clusters' | 'embedded' | 'overview' | 'events' | 'brokers' | 'topics' | 'topicConfigs' | 'groups' | 'reassignments' | 'audit';
export type DataChanged = { readonly clusterId: ClusterRef; readonly resources: readonly DataResource[] };
export type ClusterEventMessage = { readonly clusterId: ClusterRef; readonly event: TimelineEvent };

export type ClustersChange = { readonly change: 'added' | 'updated' | 'removed'; readonly id: ClusterId };

export const events = {
  'clusters.changed': {
    summary: 'The saved cluster list changed (from this window, another window or another tab)',
    payload: returns<ClustersChange>(),
  },
  'cluster.event': {
    summary: 'Something happened in the embedded cluster: a broker changed state or fault, a leader moved, an ISR changed, an unclean election',
    payload: returns<ClusterEventMessage>(),
  },
  'lab.run': {
    summary: 'A lab run progressed (phase, acknowledged and consumed counts, a fault step) or changed state',
    payload: returns<LabRunUpdate>(),
  },
  'data.changed': {
    summary: 'Data of a cluster may have changed (coalesced); refetch the named resources',
    payload: returns<DataChanged>(),
  },
} as const satisfies Record<string, EventDefinition>;

export type CallName = keyof typeof calls;
export type CallInput<M extends CallName> = z.input<(typeof calls)[M]['input']>;
export type ParsedCallInput<M extends CallName> = z.output<(typeof calls)[M]['input']>;
export type CallResult<M extends CallName> = (typeof calls)[M]['result'] extends Returns<infer T> ? T : never;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = (typeof events)[E]['payload'] extends Returns<infer T> ? T : never;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
