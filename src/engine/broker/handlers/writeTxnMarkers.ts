// WriteTxnMarkers (API 27), 0-1: broker-to-broker. The transaction coordinator asks each
// partition leader to append a COMMIT or ABORT control batch for a producer (KIP-98). The
// marker closes the producer's open transaction in the partition's log (the LSO moves on,
// an ABORT enters the aborted-transaction index) and is answered once committed (acks=all).
// On `__consumer_offsets` partitions the marker also settles the producer's pending
// transactional offset commits in the local group coordinator. v1 is flexible.
import { ErrorCode, isKafkaError } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { WriteTxnMarkersRequest } from '../../../protocol/generated/writeTxnMarkersRequest';
import { defaultWriteTxnMarkersResponse, type WriteTxnMarkersResponse } from '../../../protocol/generated/writeTxnMarkersResponse';
import { encodeControlBatch } from '../../../protocol/records/controlRecord';
import type { GroupCoordinator } from '../../coordinator/groupCoordinator';
import { OFFSETS_TOPIC } from '../../coordinator/transactionCoordinator';
import { defineHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';

type Marker = WriteTxnMarkersRequest['markers'][number];

/** Kafka's request.timeout.ms default, the longest a marker waits for the ISR. */
const MARKER_COMMIT_TIMEOUT_MS = 30_000;

function allWith(request: WriteTxnMarkersRequest, errorCode: number): WriteTxnMarkersResponse {
  return {
    ...defaultWriteTxnMarkersResponse(),
    markers: request.markers.map((marker) => ({
      producerId: marker.producerId,
      topics: marker.topics.map((topic) => ({ name: topic.name, partitions: topic.partitionIndexes.map((partitionIndex) => ({ partitionIndex, errorCode })) })),
    })),
  };
}

export function writeTxnMarkersHandler(services: BrokerServices, groups: GroupCoordinator) {
  const { replicas, log } = services;

  async function writeMarker(marker: Marker, topic: string, index: number): Promise<number> {
    try {
      const batch = await encodeControlBatch({
        type: marker.transactionResult ? 'commit' : 'abort',
        coordinatorEpoch: marker.coordinatorEpoch,
        producerId: marker.producerId,
        producerEpoch: marker.producerEpoch,
        timestamp: BigInt(Date.now()),
      });
      const leader = replicas.leader(topic, index);
      const appended = leader.appendControlBatchAsLeader(batch);
      const outcome = await leader.waitForHighWatermark(appended.lastOffset + 1, MARKER_COMMIT_TIMEOUT_MS);
      if (outcome === 'timeout') return ErrorCode.REQUEST_TIMED_OUT;
      if (outcome === 'not-leader') return ErrorCode.NOT_LEADER_OR_FOLLOWER;
      if (topic === OFFSETS_TOPIC) groups.completeTransaction(marker.producerId, marker.transactionResult);
      return ErrorCode.NONE;
    } catch (error) {
      if (isKafkaError(error)) return error.code;
      log.error(`writing a transaction marker to ${topic}-${index} failed`, error);
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
  }

  return defineHandler({
    apiKey: ApiKey.WriteTxnMarkers,
    minVersion: 0,
    maxVersion: 1,
    async handle(request: WriteTxnMarkersRequest) {
      return {
        ...defaultWriteTxnMarkersResponse(),
        markers: await Promise.all(
          request.markers.map(async (marker) => ({
            producerId: marker.producerId,
            topics: await Promise.all(
              marker.topics.map(async (topic) => ({
                name: topic.name,
                partitions: await Promise.all(
                  topic.partitionIndexes.map(async (partitionIndex) => ({ partitionIndex, errorCode: await writeMarker(marker, topic.name, partitionIndex) })),
                ),
              })),
            ),
          })),
        ),
      };
    },
    errorResponse(request: WriteTxnMarkersRequest, errorCode: number) {
      return allWith(request, errorCode);
    },
  });
}
