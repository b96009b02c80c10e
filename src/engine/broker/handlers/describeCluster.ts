// DescribeCluster (API 60), 0-1: cluster id, controller and live brokers with racks. KRaft's
// controllers are not reachable by clients; like Kafka we name a live broker as controller.
import { ErrorCode } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { DescribeClusterRequest } from '../../../protocol/generated/describeClusterRequest';
import { defaultDescribeClusterResponse } from '../../../protocol/generated/describeClusterResponse';
import { defineHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';

/** EndpointType 1 = brokers; 2 = controllers, which this cluster does not expose. */
const BROKER_ENDPOINTS = 1;

export function describeClusterHandler(services: BrokerServices) {
  const { metadata, config } = services;
  return defineHandler({
    apiKey: ApiKey.DescribeCluster,
    minVersion: 0,
    maxVersion: 1,
    handle(request: DescribeClusterRequest, context) {
      if (context.apiVersion >= 1 && request.endpointType !== BROKER_ENDPOINTS) {
        return { ...defaultDescribeClusterResponse(), endpointType: request.endpointType, errorCode: ErrorCode.UNSUPPORTED_ENDPOINT_TYPE, errorMessage: 'Only broker endpoints are exposed' };
      }
      const brokers = metadata.liveBrokers();
      return {
        ...defaultDescribeClusterResponse(),
        clusterId: config.clusterId,
        controllerId: brokers[0]?.brokerId ?? -1,
        brokers: brokers.map((b) => ({ brokerId: b.brokerId, host: b.host, port: b.port, rack: b.rack })),
      };
    },
    errorResponse(_request: DescribeClusterRequest, errorCode: number) {
      return { ...defaultDescribeClusterResponse(), errorCode };
    },
  });
}
