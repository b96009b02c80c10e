/** Kafka's ConfigResource.Type codes, as DescribeConfigs and AlterConfigs carry them. */
export const ResourceType = {
  Unknown: 0,
  Topic: 2,
  Broker: 4,
  BrokerLogger: 8,
  ClientMetrics: 16,
  Group: 32,
} as const;
