import { produceMessage, readMessages, type StartPosition } from '../../admin/messages';
import { addPartitions, changeTopicConfigs, checkTopicConfigChange, deleteRecords } from '../../admin/topics';
import { MAX_PAYLOAD_BYTES, type MessageStart, type PayloadBytes } from '../schemas/topicData';
import { defineHandlers } from './types';

/**
 * Messages of a topic and the changes of its detail page. Reads are one bounded Fetch loop
 * per call (no consumer group, no commit, nothing left open), so a live tail that stops
 * asking leaves nothing behind on the back end or the cluster.
 */
export const topicDataHandlers = defineHandlers({
  'messages.read': ({ clusterId, topic, partition, start, limit, waitMs }, { sessions }) =>
    sessions.use(clusterId, async (session) => {
      const page = await readMessages(session, { topic, ...(partition === null ? {} : { partitions: [partition] }), start: startPosition(start), maxMessages: limit, idleWaitMs: waitMs, stopWaitingOnceRead: true });
      return {
        messages: page.messages.map((message) => ({
          partition: message.partition,
          offset: message.offset,
          timestamp: message.timestamp,
          timestampType: message.timestampType,
          key: payloadBytes(message.key),
          value: payloadBytes(message.value),
          headers: message.headers.map((header) => ({ key: header.key, value: payloadBytes(header.value) })),
          size: message.size,
        })),
        nextOffsets: Object.fromEntries(Object.entries(page.nextOffsets)),
      };
    }),

  'messages.produce': async ({ clusterId, topic, partition, key, value, headers }, { sessions, dataChanges }) => {
    const result = await sessions.use(clusterId, (session) =>
      produceMessage(session, { topic, ...(partition === null ? {} : { partition }), key, value, headers: Object.fromEntries(headers.map((header) => [header.key, header.value])) }),
    );
    dataChanges.mark(clusterId, ['topics', 'overview', 'groups']);
    // produceMessage reports where the write landed; null only if the cluster acknowledged nothing, which it throws on.
    return { partition: result.after?.partition ?? -1, offset: result.after?.offset ?? -1, kafkaCommand: result.kafkaCommand };
  },

  'topics.alterConfigs': async ({ clusterId, topic, set, remove, validateOnly }, { sessions, dataChanges, minIsr }) => {
    if (validateOnly) {
      const { kafkaCommand } = await sessions.use(clusterId, (session) => checkTopicConfigChange(session, topic, set, remove));
      return { applied: false, kafkaCommand };
    }
    const { kafkaCommand } = await sessions.use(clusterId, (session) => changeTopicConfigs(session, topic, set, remove));
    minIsr.forget(clusterId, topic);
    dataChanges.mark(clusterId, ['topics', 'topicConfigs', 'overview']);
    return { applied: true, kafkaCommand };
  },

  'topics.addPartitions': async ({ clusterId, topic, totalPartitions }, { sessions, dataChanges }) => {
    const { after, kafkaCommand } = await sessions.use(clusterId, (session) => addPartitions(session, topic, totalPartitions));
    dataChanges.mark(clusterId, ['topics', 'overview', 'brokers']);
    return { partitions: after.partitions, kafkaCommand };
  },

  'topics.deleteRecords': async ({ clusterId, topic, offsets }, { sessions, dataChanges }) => {
    const { after, kafkaCommand } = await sessions.use(clusterId, (session) => deleteRecords(session, topic, offsets));
    dataChanges.mark(clusterId, ['topics', 'overview', 'groups']);
    // deleteRecords keys log starts by "topic-partition"; the UI wants the partition alone.
    const logStartOffsets = Object.fromEntries(offsets.map((entry) => [String(entry.partition), after[`${topic}-${entry.partition}`] ?? -1]));
    return { logStartOffsets, kafkaCommand };
  },

  'topics.previewCommand': ({ clusterId, change }, { sessions }) => sessions.use(clusterId, async (session) => ({ kafkaCommand: session.commandFor(change) })),
});

function startPosition(start: MessageStart): StartPosition {
  switch (start.kind) {
    case 'earliest':
    case 'latest':
      return { kind: start.kind };
    case 'offset':
      return { kind: 'offset', offset: start.offset };
    case 'timestamp':
      return { kind: 'timestamp', timestamp: start.timestamp };
    case 'newest':
      return { kind: 'newest', count: start.count };
    case 'positions':
      return { kind: 'positions', offsets: Object.fromEntries(Object.entries(start.offsets).map(([partition, offset]) => [Number(partition), offset])) };
  }
}

function payloadBytes(bytes: Buffer | null): PayloadBytes | null {
  if (bytes === null) return null;
  const truncated = bytes.length > MAX_PAYLOAD_BYTES;
  return { base64: (truncated ? bytes.subarray(0, MAX_PAYLOAD_BYTES) : bytes).toString('base64'), size: bytes.length, truncated };
}
