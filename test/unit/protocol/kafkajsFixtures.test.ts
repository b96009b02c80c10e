import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_DESCRIPTORS, ApiKey } from '../../../src/protocol/generated';
import { ByteReader } from '../../../src/protocol/primitives/byteReader';
import { DecodeError } from '../../../src/protocol/primitives/decodeError';
import { codecFor, encodeWith, type MessageCodec } from './protocolValues';

/**
 * Message bodies captured by kafkajs (requests it encodes, responses the kafkajs authors
 * recorded from real Kafka brokers; see test/fixtures/kafkajs/NOTICE.md). An independent
 * implementation's bytes are the best check that our codecs speak Kafka, not just themselves.
 */
const FIXTURES = join(import.meta.dirname, '../../fixtures/kafkajs');

/** kafkajs folder name -> our API name (the schema name without Request/Response). */
const API_NAMES: Readonly<Record<string, string>> = {
  addOffsetsToTxn: 'AddOffsetsToTxn',
  addPartitionsToTxn: 'AddPartitionsToTxn',
  alterConfigs: 'AlterConfigs',
  alterPartitionReassignments: 'AlterPartitionReassignments',
  apiVersions: 'ApiVersions',
  createAcls: 'CreateAcls',
  createPartitions: 'CreatePartitions',
  createTopics: 'CreateTopics',
  deleteAcls: 'DeleteAcls',
  deleteRecords: 'DeleteRecords',
  deleteTopics: 'DeleteTopics',
  describeAcls: 'DescribeAcls',
  describeConfigs: 'DescribeConfigs',
  describeGroups: 'DescribeGroups',
  endTxn: 'EndTxn',
  fetch: 'Fetch',
  findCoordinator: 'FindCoordinator',
  heartbeat: 'Heartbeat',
  initProducerId: 'InitProducerId',
  joinGroup: 'JoinGroup',
  leaveGroup: 'LeaveGroup',
  listOffsets: 'ListOffsets',
  listPartitionReassignments: 'ListPartitionReassignments',
  metadata: 'Metadata',
  offsetCommit: 'OffsetCommit',
  offsetFetch: 'OffsetFetch',
  produce: 'Produce',
  saslAuthenticate: 'SaslAuthenticate',
  syncGroup: 'SyncGroup',
  txnOffsetCommit: 'TxnOffsetCommit',
};

/**
 * Consumer-protocol payloads (the bytes inside JoinGroup/SyncGroup/DescribeGroups), which
 * start with their own int16 schema version. kafkajs labels its subscriptions version 1 but
 * writes the version 0 layout (no OwnedPartitions, KIP-429), so those are read as version 0:
 * the layout, not the label, is what a Java group leader would have to cope with.
 */
const CONSUMER_PROTOCOL: Readonly<Record<string, { message: string; layoutVersion?: number }>> = {
  'describeGroups/v1_memberMetadata.json': { message: 'ConsumerProtocolSubscription', layoutVersion: 0 },
  'joinGroup/v1_assignerMetadata.json': { message: 'ConsumerProtocolSubscription', layoutVersion: 0 },
  'joinGroup/v2_assignerMetadata.json': { message: 'ConsumerProtocolSubscription', layoutVersion: 0 },
  'describeGroups/v1_memberAssignment.json': { message: 'ConsumerProtocolAssignment' },
  'syncGroup/v1_memberAssignment.json': { message: 'ConsumerProtocolAssignment' },
};

/** Captures that are not a Kafka message body, so there is nothing of ours to decode them with. */
const NOT_KAFKA_MESSAGES: Readonly<Record<string, string>> = {
  'saslAuthenticate/plain_bytes.json':
    'a raw SASL PLAIN token as kafkajs frames it for pre-KIP-152 authentication (no API header or body)',
  'saslAuthenticate/scram256_bytes.json': 'a raw SASL SCRAM client-first token (pre-KIP-152 framing)',
  'saslAuthenticate/scram256_firstRequest_response.json':
    'a raw SASL SCRAM server-first token (pre-KIP-152 framing)',
  'saslAuthenticate/scram256_firstRequest_response_v1.json':
    'a raw SASL SCRAM server-first token (pre-KIP-152 framing)',
};

/**
 * Deliberately malformed captures: kafkajs keeps them to test its own leniency, and a
 * decoder that follows the schema must reject them with a DecodeError.
 */
const MALFORMED: Readonly<Record<string, string>> = {
  'apiVersions/v1_response_missing_throttle_time.json':
    'an ApiVersions v1 answer from a broker that left out ThrottleTimeMs, which v1 requires',
};

/**
 * Fixtures that decode completely but do not re-encode to the same bytes, each for a reason
 * outside our control; for these the test checks that re-encoding gives the same value.
 */
const SAME_VALUE_ONLY: Readonly<Record<string, string>> = {};

interface Fixture {
  path: string;
  bytes: Buffer;
}

function loadFixtures(): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const folder of readdirSync(FIXTURES).sort()) {
    if (folder === 'recordBatch' || folder.endsWith('.md')) continue;
    for (const file of readdirSync(join(FIXTURES, folder)).sort()) {
      const path = `${folder}/${file}`;
      const json = JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as { type: string; data: number[] };
      fixtures.push({ path, bytes: Buffer.from(json.data) });
    }
  }
  return fixtures;
}

interface Plan {
  codec: MessageCodec;
  messageName: string;
  version: number;
  /** Where the message starts within the capture. */
  start: number;
}

/**
 * kafkajs strips the correlation id from a flexible response (and the header fields from a
 * flexible request) but keeps the header's tagged-field section with the body: one 0x00
 * for the empty section that KIP-482 headers (request v2, response v1) end with.
 */
function headerTagBytes(fixture: Fixture, messageName: string, version: number): number {
  const api = messageName.replace(/(Request|Response)$/, '') as keyof typeof ApiKey;
  const descriptor = API_DESCRIPTORS[ApiKey[api]];
  const firstFlexible = messageName.endsWith('Request')
    ? descriptor.firstFlexibleVersion
    : descriptor.responseFirstFlexibleVersion;
  // ApiVersions answers always use response header v0 (KIP-511).
  const alwaysV0 = api === 'ApiVersions' && messageName.endsWith('Response');
  const headerIsFlexible = firstFlexible !== null && version >= firstFlexible && !alwaysV0;
  if (!headerIsFlexible) return 0;
  expect(fixture.bytes[0], `${fixture.path}: empty header tag section`).toBe(0);
  return 1;
}

function planFor(fixture: Fixture): Plan | string {
  const reason = NOT_KAFKA_MESSAGES[fixture.path];
  if (reason !== undefined) return reason;
  const consumerProtocol = CONSUMER_PROTOCOL[fixture.path];
  if (consumerProtocol !== undefined) {
    const { message, layoutVersion } = consumerProtocol;
    const version = layoutVersion ?? fixture.bytes.readInt16BE(0);
    return { codec: codecFor(message), messageName: message, version, start: 2 };
  }
  const [folder, file] = fixture.path.split('/') as [string, string];
  const match = /^v(\d+)_(?:\w+_)?(request|response)(?:_\w+)?\.json(?:\.json)?$/.exec(file);
  const api = API_NAMES[folder];
  if (match === null || api === undefined) {
    throw new Error(`fixture ${fixture.path} has no mapping: add it to a table in this test with a reason`);
  }
  const messageName = `${api}${match[2] === 'request' ? 'Request' : 'Response'}`;
  const version = Number(match[1]);
  return { codec: codecFor(messageName), messageName, version, start: headerTagBytes(fixture, messageName, version) };
}

const fixtures = loadFixtures();

describe('kafkajs fixtures', () => {
  it('are all accounted for', () => {
    expect(fixtures.length).toBeGreaterThan(150);
    const listed = [NOT_KAFKA_MESSAGES, CONSUMER_PROTOCOL, MALFORMED, SAME_VALUE_ONLY].flatMap((table) => Object.keys(table));
    for (const path of listed) {
      expect(fixtures.some((fixture) => fixture.path === path), `${path} is listed but missing`).toBe(true);
    }
  });

  it.each(fixtures.map((fixture) => [fixture.path, fixture] as const))('%s', (path, fixture) => {
    const plan = planFor(fixture);
    if (typeof plan === 'string') {
      // Listed above with its reason; nothing to decode.
      expect(NOT_KAFKA_MESSAGES[path]).toBe(plan);
      return;
    }
    const body = fixture.bytes.subarray(plan.start);
    const reader = new ByteReader(body);
    if (MALFORMED[path] !== undefined) {
      expect(() => plan.codec.decode(reader, plan.version)).toThrow(DecodeError);
      return;
    }
    const decoded = plan.codec.decode(reader, plan.version);
    expect(reader.remaining, `${plan.messageName} v${plan.version}: bytes left over`).toBe(0);
    const reencoded = encodeWith(plan.codec, decoded, plan.version);
    if (SAME_VALUE_ONLY[path] === undefined) {
      expect(reencoded.toString('hex')).toBe(body.toString('hex'));
    } else {
      expect(plan.codec.decode(new ByteReader(reencoded), plan.version)).toStrictEqual(decoded);
    }
  });
});
