/** cluster.overview: the health tiles of one cluster. */
export interface ClusterOverview {
  readonly clusterId: string | null;
  readonly controllerId: number | null;
  readonly brokersUp: number;
  /** Brokers seen earlier (or configured, for the embedded cluster) that the cluster no longer lists. */
  readonly brokersDown: readonly number[];
  readonly topics: number;
  readonly internalTopics: number;
  readonly partitions: number;
  readonly underReplicatedPartitions: number;
  readonly offlinePartitions: number;
  readonly underMinIsrPartitions: number;
  readonly groups: number;
  /** Groups whose committed offsets are behind the end of the log. */
  readonly groupsWithLag: number;
  /** Lag is read for at most this many groups per refresh; when fewer than `groups`, the count is partial. */
  readonly groupsLagChecked: number;
}
