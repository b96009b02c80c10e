import { z } from 'zod';
import { ClusterRefSchema } from './clusterRef';
import { TopicNameSchema } from './topics';

/**
 * Reading and writing a topic's data from the UI (messages: browse, tail, produce) and the
 * topic changes of its detail page (configs, add partitions, delete records). Every read is
 * bounded in messages and in wait, so the back end holds nothing open between calls: a live
 * tail is the renderer asking again from where the last answer stopped.
 */
export const MAX_MESSAGES_PER_READ = 500;
/** Longest a read may wait at the end of the log for new messages (a live tail's long poll). */
export const MAX_READ_WAIT_MS = 3_000;
/** Payload bytes sent per key, value or header value; the rest is counted, not sent. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

const PartitionSchema = z.number().int().min(0, { error: 'Partitions are numbered from 0' });
const OffsetSchema = z.number().int().min(0, { error: 'Offsets are 0 or more' });

export const MessageStartSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('earliest') }),
  z.strictObject({ kind: z.literal('latest') }),
  z.strictObject({ kind: z.literal('offset'), offset: OffsetSchema }),
  z.strictObject({ kind: z.literal('timestamp'), timestamp: z.number().int().min(0, { error: 'Times are after 1970' }) }),
  z.strictObject({ kind: z.literal('newest'), count: z.number().int().min(1).max(MAX_MESSAGES_PER_READ) }),
  /** Partition (as a string, JSON keys are strings) -> offset to continue from. */
  z.strictObject({ kind: z.literal('positions'), offsets: z.record(z.string().regex(/^\d+$/), OffsetSchema) }),
]);
export type MessageStart = z.input<typeof MessageStartSchema>;

export const ReadMessagesSchema = z.strictObject({
  clusterId: ClusterRefSchema,
  topic: TopicNameSchema,
  /** null: every partition. */
  partition: PartitionSchema.nullable(),
  start: MessageStartSchema,
  limit: z.number().int().min(1).max(MAX_MESSAGES_PER_READ, { error: `At most ${MAX_MESSAGES_PER_READ} messages per read` }),
  /** 0 for browsing (stop at the end); up to MAX_READ_WAIT_MS for tailing. */
  waitMs: z.number().int().min(0).max(MAX_READ_WAIT_MS),
});
export type ReadMessagesInput = z.input<typeof ReadMessagesSchema>;

/** Stored bytes, base64, so the renderer can show them as text, JSON or hex without asking again. */
export interface PayloadBytes {
  readonly base64: string;
  /** The whole payload's size; more than the bytes sent when `truncated`. */
  readonly size: number;
  readonly truncated: boolean;
}

export interface MessageRow {
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly timestampType: 'CreateTime' | 'LogAppendTime';
  readonly key: PayloadBytes | null;
  readonly value: PayloadBytes | null;
  readonly headers: readonly { readonly key: string; readonly value: PayloadBytes | null }[];
  /** Bytes of key, value and headers. */
  readonly size: number;
}

export interface MessagePage {
  readonly messages: readonly MessageRow[];
  /** Where to continue, per partition: `{ kind: 'positions', offsets: nextOffsets }` reads the next page. */
  readonly nextOffsets: Readonly<Record<string, number>>;
}

export const ProduceMessageSchema = z
  .strictObject({
    clusterId: ClusterRefSchema,
    topic: TopicNameSchema,
    /** null: the producer's partitioner chooses (by key hash, or spread when there is no key). */
    partition: PartitionSchema.nullable(),
    key: z.string().nullable(),
    value: z.string().nullable(),
    headers: z.array(z.strictObject({ key: z.string().min(1, { error: 'Header names cannot be empty' }), value: z.string() })).max(100),
    /** 'json' refuses a value that is not JSON, so a typo never reaches a topic of JSON consumers. */
    valueFormat: z.enum(['text', 'json']),
  })
  .refine((input) => new Set(input.headers.map((header) => header.key)).size === input.headers.length, { error: 'Each header name may appear once', path: ['headers'] })
  .refine((input) => input.valueFormat !== 'json' || input.value === null || isJson(input.value), { error: 'The value is not valid JSON', path: ['value'] });
export type ProduceMessageInput = z.input<typeof ProduceMessageSchema>;

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export interface ProduceResult {
  readonly partition: number;
  readonly offset: number;
  readonly kafkaCommand: string;
}

const ConfigNameSchema = z.string().regex(/^[a-z0-9.]+$/, { error: 'Config names are lowercase words joined by dots' });

export const AlterTopicConfigsSchema = z
  .strictObject({
    clusterId: ClusterRefSchema,
    topic: TopicNameSchema,
    set: z.record(ConfigNameSchema, z.string().max(4096)),
    /** Overrides to remove, so the topic takes the broker's or the built-in default again. */
    remove: z.array(ConfigNameSchema),
    /** Check with the broker and render the command, changing nothing (the preview). */
    validateOnly: z.boolean(),
  })
  .refine((input) => Object.keys(input.set).length + input.remove.length > 0, { error: 'Change at least one config' });
export type AlterTopicConfigsInput = z.input<typeof AlterTopicConfigsSchema>;

export interface AlterTopicConfigsResult {
  readonly applied: boolean;
  readonly kafkaCommand: string;
}

/** The topic name typed again: these changes cannot be undone. */
const confirmed = <T extends { topic: string; confirmation: string }>(input: T) => input.confirmation === input.topic;
const CONFIRMATION_ERROR = { error: 'Type the topic name exactly to confirm', path: ['confirmation'] };

export const AddPartitionsSchema = z
  .strictObject({
    clusterId: ClusterRefSchema,
    topic: TopicNameSchema,
    totalPartitions: z.number().int().min(2, { error: 'A topic with more partitions has at least 2' }).max(10_000, { error: 'At most 10000 partitions' }),
    confirmation: z.string(),
  })
  .refine(confirmed, CONFIRMATION_ERROR);

export interface AddPartitionsResult {
  readonly partitions: number;
  readonly kafkaCommand: string;
}

/** Offset -1 deletes everything below the high watermark, as in kafka-delete-records.sh. */
const DeleteOffsetsSchema = z
  .array(z.strictObject({ partition: PartitionSchema, offset: z.number().int().min(-1, { error: 'Offsets are -1 (the high watermark) or more' }) }))
  .min(1, { error: 'Choose at least one partition' })
  .refine((offsets) => new Set(offsets.map((entry) => entry.partition)).size === offsets.length, { error: 'Each partition may appear once' });

export const DeleteRecordsSchema = z
  .strictObject({
    clusterId: ClusterRefSchema,
    topic: TopicNameSchema,
    offsets: DeleteOffsetsSchema,
    confirmation: z.string(),
  })
  .refine(confirmed, CONFIRMATION_ERROR);

export interface DeleteRecordsResult {
  /** Partition -> its log start offset after the deletion. */
  readonly logStartOffsets: Readonly<Record<string, number>>;
  readonly kafkaCommand: string;
}

/** A change the user is about to confirm, for its equivalent Kafka command. */
export const TopicChangePreviewSchema = z.strictObject({
  clusterId: ClusterRefSchema,
  change: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('add-partitions'), topic: TopicNameSchema, totalPartitions: z.number().int().min(1) }),
    z.strictObject({ kind: z.literal('delete-records'), topic: TopicNameSchema, offsets: DeleteOffsetsSchema }),
    z.strictObject({
      kind: z.literal('elect-leaders'),
      electionType: z.literal('preferred'),
      partitions: z.array(z.strictObject({ topic: TopicNameSchema, partition: z.number().int().min(0) })).min(1),
    }),
  ]),
});
