/**
 * Our frame codecs against kafkajs 2.2.4's own encoders and decoders: the requests kafkajs
 * really sends (the versions it picks against a modern broker) must decode to the values it
 * set, and the responses we encode must decode in kafkajs to the values we set.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ApiKey, type ApiKeyValue, type RequestByKey, type ResponseByKey } from '../../../src/protocol/generated/apis';
import { defaultEndTxnResponse } from '../../../src/protocol/generated/endTxnResponse';
import { defaultFetchResponse, defaultFetchResponsePartitionData } from '../../../src/protocol/generated/fetchResponse';
import { readBatchHeader, verifyBatchCrc } from '../../../src/protocol/records/batchHeader';
import { decodeRequestFrame, encodeResponseFrame, type DecodedRequest } from '../../../src/protocol/requestFrame';
import { framePayload } from './frameHelpers';

const require = createRequire(import.meta.url);
const Long = require('kafkajs/src/utils/long');
const frameKafkajsRequest = require('kafkajs/src/protocol/request.js') as (args: {
  correlationId: number;
  clientId: string;
  request: unknown;
}) => Promise<{ buffer: Buffer }>;

type KafkajsRequestBuilder = (args: Record<string, unknown>) => { apiKey: number; apiVersion: number };
function kafkajsRequest(api: string, version: number, args: Record<string, unknown> = {}) {
  const build = require(`kafkajs/src/protocol/requests/${api}/v${version}/request.js`) as KafkajsRequestBuilder;
  return build(args);
}

interface KafkajsResponseCodec {
  decode(payload: Buffer): Promise<unknown>;
  parse(decoded: unknown): Promise<unknown>;
}
function kafkajsResponse(api: string, version: number): KafkajsResponseCodec {
  return require(`kafkajs/src/protocol/requests/${api}/v${version}/response.js`) as KafkajsResponseCodec;
}

const CLIENT_ID = 'kafkajs-interop';

async function decodeKafkajsRequest(api: string, version: number, args: Record<string, unknown>, correlationId: number) {
  const request = kafkajsRequest(api, version, args);
  const framed = await frameKafkajsRequest({ correlationId, clientId: CLIENT_ID, request });
  const result = decodeRequestFrame(framePayload([framed.buffer]));
  if (!result.ok) throw new Error(`kafkajs ${api} v${version} did not decode: ${JSON.stringify(result.error)}`);
  expect(result.request).toMatchObject({ apiKey: request.apiKey, apiVersion: version, correlationId, clientId: CLIENT_ID });
  return result.request;
}

/** Narrows a decoded request to one API so the body is typed. */
function bodyOf<K extends ApiKeyValue>(request: DecodedRequest, apiKey: K): RequestByKey[K] {
  if (request.apiKey !== apiKey) throw new Error(`expected api key ${apiKey}, got ${request.apiKey}`);
  return request.body as RequestByKey[K];
}

describe('kafkajs requests decode with our codecs', () => {
  it('ApiVersions v2', async () => {
    const request = await decodeKafkajsRequest('apiVersions', 2, {}, 1);
    expect(request.apiKey).toBe(ApiKey.ApiVersions);
  });

  it('Metadata v6 with topics, and with null topics (all topics)', async () => {
    const named = await decodeKafkajsRequest('metadata', 6, { topics: ['orders', 'payments'], allowAutoTopicCreation: false }, 2);
    expect(bodyOf(named, ApiKey.Metadata)).toMatchObject({
      topics: [{ name: 'orders' }, { name: 'payments' }],
      allowAutoTopicCreation: false,
    });
    // kafkajs asks for every topic with an empty list, which it writes as a null array.
    const all = await decodeKafkajsRequest('metadata', 6, { topics: [] }, 3);
    expect(bodyOf(all, ApiKey.Metadata).topics).toBeNull();
  });

  it('Produce v7 carrying a record batch, byte for byte', async () => {
    const request = await decodeKafkajsRequest(
      'produce',
      7,
      {
        acks: -1,
        timeout: 30000,
        transactionalId: 'tx-1',
        producerId: Long.fromNumber(4000),
        producerEpoch: 3,
        topicData: [
          {
            topic: 'orders',
            partitions: [
              {
                partition: 2,
                firstSequence: 10,
                messages: [
                  { key: 'k1', value: 'v1', timestamp: 1_700_000_000_000, headers: { h: 'x' } },
                  { key: null, value: 'v2', timestamp: 1_700_000_000_005 },
                ],
              },
            ],
          },
        ],
      },
      4,
    );
    const body = bodyOf(request, ApiKey.Produce);
    expect(body).toMatchObject({ transactionalId: 'tx-1', acks: -1, timeoutMs: 30000 });
    expect(body.topicData[0]).toMatchObject({ name: 'orders', partitionData: [{ index: 2 }] });
    const records = body.topicData[0]!.partitionData[0]!.records!;
    const header = readBatchHeader(records);
    expect(header.batchLength + 12).toBe(records.length);
    expect(header).toMatchObject({
      magic: 2,
      producerId: 4000n,
      producerEpoch: 3,
      baseSequence: 10,
      recordCount: 2,
      lastOffsetDelta: 1,
      baseTimestamp: 1_700_000_000_000n,
      maxTimestamp: 1_700_000_000_005n,
    });
    expect(verifyBatchCrc(records)).toBe(true);
  });

  it('Fetch v11', async () => {
    const request = await decodeKafkajsRequest(
      'fetch',
      11,
      {
        replicaId: -1,
        maxWaitTime: 500,
        minBytes: 1,
        maxBytes: 10485760,
        isolationLevel: 1,
        sessionId: 0,
        sessionEpoch: -1,
        rackId: 'rack-a',
        topics: [{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: '42', maxBytes: 1048576, currentLeaderEpoch: 5 }] }],
        forgottenTopics: [{ topic: 'old', partitions: [1, 2] }],
      },
      5,
    );
    expect(bodyOf(request, ApiKey.Fetch)).toMatchObject({
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 10485760,
      isolationLevel: 1,
      sessionId: 0,
      sessionEpoch: -1,
      rackId: 'rack-a',
      topics: [
        {
          topic: 'orders',
          partitions: [
            { partition: 0, currentLeaderEpoch: 5, fetchOffset: 42n, logStartOffset: -1n, partitionMaxBytes: 1048576 },
          ],
        },
      ],
      forgottenTopicsData: [{ topic: 'old', partitions: [1, 2] }],
    });
  });

  it('ListOffsets v3', async () => {
    const request = await decodeKafkajsRequest(
      'listOffsets',
      3,
      { replicaId: -1, isolationLevel: 1, topics: [{ topic: 'orders', partitions: [{ partition: 1, timestamp: -2 }] }] },
      6,
    );
    expect(bodyOf(request, ApiKey.ListOffsets)).toMatchObject({
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 1, timestamp: -2n }] }],
    });
  });

  it('FindCoordinator v2', async () => {
    const request = await decodeKafkajsRequest('findCoordinator', 2, { coordinatorKey: 'billing', coordinatorType: 1 }, 7);
    expect(bodyOf(request, ApiKey.FindCoordinator)).toMatchObject({ key: 'billing', keyType: 1 });
  });

  it('JoinGroup v5', async () => {
    const metadata = Buffer.from([0, 1, 2, 3]);
    const request = await decodeKafkajsRequest(
      'joinGroup',
      5,
      {
        groupId: 'billing',
        sessionTimeout: 30000,
        rebalanceTimeout: 60000,
        memberId: '',
        groupInstanceId: 'static-1',
        protocolType: 'consumer',
        groupProtocols: [{ name: 'RoundRobinAssigner', metadata }],
      },
      8,
    );
    const body = bodyOf(request, ApiKey.JoinGroup);
    expect(body).toMatchObject({
      groupId: 'billing',
      sessionTimeoutMs: 30000,
      rebalanceTimeoutMs: 60000,
      memberId: '',
      groupInstanceId: 'static-1',
      protocolType: 'consumer',
      protocols: [{ name: 'RoundRobinAssigner' }],
    });
    expect(body.protocols[0]!.metadata.equals(metadata)).toBe(true);
  });

  it('SyncGroup v3', async () => {
    const assignment = Buffer.from('assignment');
    const request = await decodeKafkajsRequest(
      'syncGroup',
      3,
      { groupId: 'billing', generationId: 4, memberId: 'm-1', groupAssignment: [{ memberId: 'm-1', memberAssignment: assignment }] },
      9,
    );
    const body = bodyOf(request, ApiKey.SyncGroup);
    expect(body).toMatchObject({ groupId: 'billing', generationId: 4, memberId: 'm-1', groupInstanceId: null });
    expect(body.assignments[0]!.memberId).toBe('m-1');
    expect(body.assignments[0]!.assignment.equals(assignment)).toBe(true);
  });

  it('Heartbeat v3', async () => {
    const request = await decodeKafkajsRequest('heartbeat', 3, { groupId: 'billing', groupGenerationId: 4, memberId: 'm-1' }, 10);
    expect(bodyOf(request, ApiKey.Heartbeat)).toEqual({ groupId: 'billing', generationId: 4, memberId: 'm-1', groupInstanceId: null });
  });

  it('LeaveGroup v3', async () => {
    const request = await decodeKafkajsRequest('leaveGroup', 3, { groupId: 'billing', members: [{ memberId: 'm-1' }] }, 11);
    expect(bodyOf(request, ApiKey.LeaveGroup)).toMatchObject({
      groupId: 'billing',
      members: [{ memberId: 'm-1', groupInstanceId: null }],
    });
  });

  it('OffsetCommit v5', async () => {
    const request = await decodeKafkajsRequest(
      'offsetCommit',
      5,
      {
        groupId: 'billing',
        groupGenerationId: 4,
        memberId: 'm-1',
        topics: [{ topic: 'orders', partitions: [{ partition: 0, offset: '100', metadata: 'note' }, { partition: 1, offset: '7' }] }],
      },
      12,
    );
    expect(bodyOf(request, ApiKey.OffsetCommit)).toMatchObject({
      groupId: 'billing',
      generationIdOrMemberEpoch: 4,
      memberId: 'm-1',
      topics: [
        {
          name: 'orders',
          partitions: [
            { partitionIndex: 0, committedOffset: 100n, committedMetadata: 'note' },
            { partitionIndex: 1, committedOffset: 7n, committedMetadata: null },
          ],
        },
      ],
    });
  });

  it('OffsetFetch v4', async () => {
    const request = await decodeKafkajsRequest(
      'offsetFetch',
      4,
      { groupId: 'billing', topics: [{ topic: 'orders', partitions: [{ partition: 0 }, { partition: 3 }] }] },
      13,
    );
    expect(bodyOf(request, ApiKey.OffsetFetch)).toMatchObject({
      groupId: 'billing',
      topics: [{ name: 'orders', partitionIndexes: [0, 3] }],
    });
  });

  it('CreateTopics v3', async () => {
    const request = await decodeKafkajsRequest(
      'createTopics',
      3,
      {
        topics: [
          {
            topic: 'orders',
            numPartitions: 3,
            replicationFactor: 2,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
          { topic: 'manual', replicaAssignment: [{ partition: 0, replicas: [1, 2] }] },
        ],
        validateOnly: true,
        timeout: 5000,
      },
      14,
    );
    expect(bodyOf(request, ApiKey.CreateTopics)).toMatchObject({
      topics: [
        { name: 'orders', numPartitions: 3, replicationFactor: 2, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }] },
        { name: 'manual', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }] },
      ],
      timeoutMs: 5000,
      validateOnly: true,
    });
  });

  it('DeleteTopics v1', async () => {
    const request = await decodeKafkajsRequest('deleteTopics', 1, { topics: ['a', 'b'], timeout: 2000 }, 15);
    expect(bodyOf(request, ApiKey.DeleteTopics)).toMatchObject({ topicNames: ['a', 'b'], timeoutMs: 2000 });
  });

  it('DescribeConfigs v2', async () => {
    const request = await decodeKafkajsRequest(
      'describeConfigs',
      2,
      {
        resources: [
          { type: 2, name: 'orders', configNames: ['retention.ms'] },
          { type: 4, name: '1' },
        ],
        includeSynonyms: true,
      },
      16,
    );
    expect(bodyOf(request, ApiKey.DescribeConfigs)).toMatchObject({
      resources: [
        { resourceType: 2, resourceName: 'orders', configurationKeys: ['retention.ms'] },
        // No names means "all configs": kafkajs writes the empty list as a null array.
        { resourceType: 4, resourceName: '1', configurationKeys: null },
      ],
      includeSynonyms: true,
    });
  });

  it('InitProducerId v1, transactional and idempotent-only', async () => {
    const transactional = await decodeKafkajsRequest('initProducerId', 1, { transactionalId: 'tx-1', transactionTimeout: 60000 }, 17);
    expect(bodyOf(transactional, ApiKey.InitProducerId)).toMatchObject({ transactionalId: 'tx-1', transactionTimeoutMs: 60000 });
    const idempotent = await decodeKafkajsRequest('initProducerId', 1, { transactionalId: null, transactionTimeout: 30000 }, 18);
    expect(bodyOf(idempotent, ApiKey.InitProducerId).transactionalId).toBeNull();
  });

  it('AddPartitionsToTxn v1', async () => {
    const request = await decodeKafkajsRequest(
      'addPartitionsToTxn',
      1,
      { transactionalId: 'tx-1', producerId: Long.fromNumber(4000), producerEpoch: 3, topics: [{ topic: 'orders', partitions: [0, 2] }] },
      19,
    );
    expect(bodyOf(request, ApiKey.AddPartitionsToTxn)).toMatchObject({
      v3AndBelowTransactionalId: 'tx-1',
      v3AndBelowProducerId: 4000n,
      v3AndBelowProducerEpoch: 3,
      v3AndBelowTopics: [{ name: 'orders', partitions: [0, 2] }],
    });
  });

  it('AddOffsetsToTxn v1 and TxnOffsetCommit v1', async () => {
    const add = await decodeKafkajsRequest(
      'addOffsetsToTxn',
      1,
      { transactionalId: 'tx-1', producerId: Long.fromNumber(4000), producerEpoch: 3, groupId: 'billing' },
      20,
    );
    expect(bodyOf(add, ApiKey.AddOffsetsToTxn)).toMatchObject({ transactionalId: 'tx-1', producerId: 4000n, producerEpoch: 3, groupId: 'billing' });
    const commit = await decodeKafkajsRequest(
      'txnOffsetCommit',
      1,
      {
        transactionalId: 'tx-1',
        groupId: 'billing',
        producerId: Long.fromNumber(4000),
        producerEpoch: 3,
        topics: [{ topic: 'orders', partitions: [{ partition: 0, offset: '55' }] }],
      },
      21,
    );
    expect(bodyOf(commit, ApiKey.TxnOffsetCommit)).toMatchObject({
      transactionalId: 'tx-1',
      groupId: 'billing',
      producerId: 4000n,
      producerEpoch: 3,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 55n, committedMetadata: null }] }],
    });
  });

  it('EndTxn v1', async () => {
    const request = await decodeKafkajsRequest(
      'endTxn',
      1,
      { transactionalId: 'tx-1', producerId: Long.fromNumber(4000), producerEpoch: 3, transactionResult: true },
      22,
    );
    expect(bodyOf(request, ApiKey.EndTxn)).toEqual({ transactionalId: 'tx-1', producerId: 4000n, producerEpoch: 3, committed: true });
  });
});

/** Encodes with our response encoder and decodes with kafkajs's decode + parse. */
async function kafkajsDecodes<K extends ApiKeyValue>(
  apiKey: K,
  api: string,
  version: number,
  response: ResponseByKey[K],
): Promise<Record<string, unknown>> {
  const payload = framePayload(encodeResponseFrame(apiKey, version, 99, response));
  expect(payload.readInt32BE(0)).toBe(99);
  const codec = kafkajsResponse(api, version);
  return (await codec.parse(await codec.decode(payload.subarray(4)))) as Record<string, unknown>;
}

describe('our responses decode in kafkajs', () => {
  it('ApiVersions v2', async () => {
    const decoded = await kafkajsDecodes(ApiKey.ApiVersions, 'apiVersions', 2, {
      errorCode: 0,
      apiKeys: [
        { apiKey: ApiKey.Produce, minVersion: 0, maxVersion: 9 },
        { apiKey: ApiKey.Fetch, minVersion: 4, maxVersion: 12 },
      ],
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: -1n,
      finalizedFeatures: [],
      zkMigrationReady: false,
    });
    expect(decoded).toMatchObject({
      errorCode: 0,
      apiVersions: [
        { apiKey: 0, minVersion: 0, maxVersion: 9 },
        { apiKey: 1, minVersion: 4, maxVersion: 12 },
      ],
    });
  });

  it('Metadata v6', async () => {
    const decoded = await kafkajsDecodes(ApiKey.Metadata, 'metadata', 6, {
      throttleTimeMs: 0,
      brokers: [
        { nodeId: 1, host: '127.0.0.1', port: 9092, rack: null },
        { nodeId: 2, host: '127.0.0.1', port: 9093, rack: 'b' },
      ],
      clusterId: 'samsa-cluster',
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: 'orders',
          topicId: Buffer.alloc(16).toString('base64url'),
          isInternal: false,
          partitions: [
            { errorCode: 0, partitionIndex: 0, leaderId: 1, leaderEpoch: 0, replicaNodes: [1, 2], isrNodes: [1, 2], offlineReplicas: [] },
          ],
          topicAuthorizedOperations: -2147483648,
        },
      ],
      clusterAuthorizedOperations: -2147483648,
    });
    expect(decoded).toMatchObject({
      brokers: [
        { nodeId: 1, host: '127.0.0.1', port: 9092, rack: null },
        { nodeId: 2, host: '127.0.0.1', port: 9093, rack: 'b' },
      ],
      clusterId: 'samsa-cluster',
      controllerId: 1,
      topicMetadata: [
        {
          topicErrorCode: 0,
          topic: 'orders',
          isInternal: false,
          partitionMetadata: [{ partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [1, 2], isr: [1, 2], offlineReplicas: [] }],
        },
      ],
    });
  });

  it('Produce v7', async () => {
    const decoded = await kafkajsDecodes(ApiKey.Produce, 'produce', 7, {
      responses: [
        {
          name: 'orders',
          partitionResponses: [
            {
              index: 2,
              errorCode: 0,
              baseOffset: 1234n,
              logAppendTimeMs: -1n,
              logStartOffset: 0n,
              recordErrors: [],
              errorMessage: null,
              currentLeader: { leaderId: -1, leaderEpoch: -1 },
            },
          ],
        },
      ],
      throttleTimeMs: 0,
      nodeEndpoints: [],
    });
    expect(decoded).toMatchObject({
      topics: [{ topicName: 'orders', partitions: [{ partition: 2, errorCode: 0, baseOffset: '1234', logAppendTime: '-1', logStartOffset: '0' }] }],
    });
  });

  it('Fetch v11 carrying the record batch kafkajs produced (large enough to travel by reference)', async () => {
    const bigValue = 'x'.repeat(3000);
    const produced = await decodeKafkajsRequest(
      'produce',
      7,
      {
        acks: -1,
        timeout: 1000,
        topicData: [
          {
            topic: 'orders',
            partitions: [
              {
                partition: 0,
                messages: [
                  { key: 'k1', value: 'v1', timestamp: 1_700_000_000_000, headers: { trace: 'abc' } },
                  { key: 'k2', value: bigValue, timestamp: 1_700_000_000_001 },
                ],
              },
            ],
          },
        ],
      },
      30,
    );
    const records = bodyOf(produced, ApiKey.Produce).topicData[0]!.partitionData[0]!.records!;
    const response: ResponseByKey[typeof ApiKey.Fetch] = {
      ...defaultFetchResponse(),
      responses: [
        {
          topic: 'orders',
          topicId: Buffer.alloc(16).toString('base64url'),
          partitions: [
            {
              ...defaultFetchResponsePartitionData(),
              partitionIndex: 0,
              highWatermark: 2n,
              lastStableOffset: 2n,
              logStartOffset: 0n,
              abortedTransactions: [],
              records,
            },
          ],
        },
      ],
    };
    expect(encodeResponseFrame(ApiKey.Fetch, 11, 1, response)).toContain(records);
    const decoded = await kafkajsDecodes(ApiKey.Fetch, 'fetch', 11, response);
    expect(decoded).toMatchObject({
      errorCode: 0,
      responses: [{ topicName: 'orders', partitions: [{ partition: 0, errorCode: 0, highWatermark: '2', lastStableOffset: '2' }] }],
    });
    const messages = (decoded as { responses: Array<{ partitions: Array<{ messages: Array<Record<string, unknown>> }> }> })
      .responses[0]!.partitions[0]!.messages;
    expect(messages.map((m) => [String(m.key), String(m.value).length, m.offset])).toEqual([
      ['k1', 2, '0'],
      ['k2', 3000, '1'],
    ]);
    expect(String((messages[0]!.headers as Record<string, Buffer>).trace)).toBe('abc');
  });

  it('FindCoordinator v2, JoinGroup v5, SyncGroup v3, Heartbeat v3', async () => {
    expect(
      await kafkajsDecodes(ApiKey.FindCoordinator, 'findCoordinator', 2, {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        nodeId: 2,
        host: 'localhost',
        port: 9093,
        coordinators: [],
      }),
    ).toMatchObject({ errorCode: 0, coordinator: { nodeId: 2, host: 'localhost', port: 9093 } });

    const memberMetadata = Buffer.from([9, 9]);
    const join = await kafkajsDecodes(ApiKey.JoinGroup, 'joinGroup', 5, {
      throttleTimeMs: 0,
      errorCode: 0,
      generationId: 4,
      protocolType: null,
      protocolName: 'RoundRobinAssigner',
      leader: 'm-1',
      skipAssignment: false,
      memberId: 'm-1',
      members: [{ memberId: 'm-1', groupInstanceId: null, metadata: memberMetadata }],
    });
    expect(join).toMatchObject({
      generationId: 4,
      groupProtocol: 'RoundRobinAssigner',
      leaderId: 'm-1',
      memberId: 'm-1',
      members: [{ memberId: 'm-1', groupInstanceId: null, memberMetadata }],
    });

    const assignment = Buffer.from('assigned');
    expect(
      await kafkajsDecodes(ApiKey.SyncGroup, 'syncGroup', 3, {
        throttleTimeMs: 0,
        errorCode: 0,
        protocolType: null,
        protocolName: null,
        assignment,
      }),
    ).toMatchObject({ errorCode: 0, memberAssignment: assignment });

    expect(await kafkajsDecodes(ApiKey.Heartbeat, 'heartbeat', 3, { throttleTimeMs: 0, errorCode: 0 })).toMatchObject({ errorCode: 0 });
  });

  it('OffsetCommit v5 and OffsetFetch v4', async () => {
    expect(
      await kafkajsDecodes(ApiKey.OffsetCommit, 'offsetCommit', 5, {
        throttleTimeMs: 0,
        topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 0 }] }],
      }),
    ).toMatchObject({ responses: [{ topic: 'orders', partitions: [{ partition: 0, errorCode: 0 }] }] });

    expect(
      await kafkajsDecodes(ApiKey.OffsetFetch, 'offsetFetch', 4, {
        throttleTimeMs: 0,
        topics: [
          {
            name: 'orders',
            partitions: [{ partitionIndex: 0, committedOffset: 100n, committedLeaderEpoch: -1, metadata: 'note', errorCode: 0 }],
          },
        ],
        errorCode: 0,
        groups: [],
      }),
    ).toMatchObject({ errorCode: 0, responses: [{ topic: 'orders', partitions: [{ partition: 0, offset: '100', metadata: 'note' }] }] });
  });

  it('ListOffsets v3', async () => {
    expect(
      await kafkajsDecodes(ApiKey.ListOffsets, 'listOffsets', 3, {
        throttleTimeMs: 0,
        topics: [
          {
            name: 'orders',
            partitions: [{ partitionIndex: 1, errorCode: 0, oldStyleOffsets: [], timestamp: -1n, offset: 77n, leaderEpoch: -1 }],
          },
        ],
      }),
    ).toMatchObject({ responses: [{ topic: 'orders', partitions: [{ partition: 1, errorCode: 0, timestamp: '-1', offset: '77' }] }] });
  });

  it('CreateTopics v3, DeleteTopics v1 and DescribeConfigs v2', async () => {
    expect(
      await kafkajsDecodes(ApiKey.CreateTopics, 'createTopics', 3, {
        throttleTimeMs: 0,
        topics: [
          {
            name: 'orders',
            topicId: Buffer.alloc(16).toString('base64url'),
            errorCode: 0,
            errorMessage: null,
            topicConfigErrorCode: 0,
            numPartitions: -1,
            replicationFactor: -1,
            configs: null,
          },
        ],
      }),
    ).toMatchObject({ topicErrors: [{ topic: 'orders', errorCode: 0, errorMessage: null }] });

    expect(
      await kafkajsDecodes(ApiKey.DeleteTopics, 'deleteTopics', 1, {
        throttleTimeMs: 0,
        responses: [{ name: 'orders', topicId: Buffer.alloc(16).toString('base64url'), errorCode: 0, errorMessage: null }],
      }),
    ).toMatchObject({ topicErrors: [{ topic: 'orders', errorCode: 0 }] });

    expect(
      await kafkajsDecodes(ApiKey.DescribeConfigs, 'describeConfigs', 2, {
        throttleTimeMs: 0,
        results: [
          {
            errorCode: 0,
            errorMessage: null,
            resourceType: 2,
            resourceName: 'orders',
            configs: [
              {
                name: 'retention.ms',
                value: '604800000',
                readOnly: false,
                isDefault: false,
                configSource: 5,
                isSensitive: false,
                synonyms: [{ name: 'log.retention.ms', value: '604800000', source: 5 }],
                configType: 0,
                documentation: null,
              },
            ],
          },
        ],
      }),
    ).toMatchObject({
      resources: [
        {
          errorCode: 0,
          resourceType: 2,
          resourceName: 'orders',
          configEntries: [
            {
              configName: 'retention.ms',
              configValue: '604800000',
              readOnly: false,
              configSource: 5,
              isSensitive: false,
              configSynonyms: [{ configName: 'log.retention.ms', configValue: '604800000', configSource: 5 }],
            },
          ],
        },
      ],
    });
  });

  it('InitProducerId v1, AddPartitionsToTxn v1 and EndTxn v1', async () => {
    expect(
      await kafkajsDecodes(ApiKey.InitProducerId, 'initProducerId', 1, {
        throttleTimeMs: 0,
        errorCode: 0,
        producerId: 4000n,
        producerEpoch: 3,
      }),
    ).toMatchObject({ errorCode: 0, producerId: '4000', producerEpoch: 3 });

    expect(
      await kafkajsDecodes(ApiKey.AddPartitionsToTxn, 'addPartitionsToTxn', 1, {
        throttleTimeMs: 0,
        errorCode: 0,
        resultsByTransaction: [],
        resultsByTopicV3AndBelow: [{ name: 'orders', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 0 }] }],
      }),
    ).toMatchObject({ errors: [{ topic: 'orders', partitionErrors: [{ partition: 0, errorCode: 0 }] }] });

    expect(await kafkajsDecodes(ApiKey.EndTxn, 'endTxn', 1, { ...defaultEndTxnResponse(), errorCode: 0 })).toMatchObject({
      errorCode: 0,
    });
  });
});
