import { z } from 'zod';
import { ClusterRefSchema } from './clusterRef';

export const GroupScopeSchema = z.strictObject({ clusterId: ClusterRefSchema, group: z.string().min(1).max(1024) });

export interface GroupRow {
  readonly group: string;
  readonly state: string;
  readonly protocolType: string;
  readonly members: number;
}

/** Every group with its state and member count (ListGroups, DescribeGroups): no offsets read. */
export interface GroupList {
  readonly groups: readonly GroupRow[];
}

export interface GroupTotalLag {
  readonly group: string;
  /** Sum of per-partition lag; null when the group has no committed offsets. */
  readonly totalLag: number | null;
}

/**
 * Total lag of the first `limit` groups by name, read in bulk; a group beyond the limit is
 * not in `groups` (its own page has the figure).
 */
export interface GroupLagList {
  readonly groups: readonly GroupTotalLag[];
  readonly limit: number;
  /**
   * When the oldest figure was read (epoch ms; null when there are no groups). Figures are
   * shared with the lag sampler and reused for at most LAG_READING_REUSE_MS (5 s), so this is
   * never more than 5 s before the call, plus the read's own duration.
   */
  readonly readAt: number | null;
}

export interface GroupMemberRow {
  readonly memberId: string;
  readonly clientId: string;
  readonly host: string;
  readonly assignment: readonly { readonly topic: string; readonly partitions: readonly number[] }[] | null;
}

export interface GroupPartitionRow {
  readonly topic: string;
  readonly partition: number;
  readonly committedOffset: number | null;
  readonly endOffset: number;
  readonly lag: number | null;
  readonly memberId: string | null;
  readonly clientId: string | null;
  readonly host: string | null;
}

export interface GroupDetail {
  readonly group: string;
  readonly state: string;
  readonly protocolType: string;
  readonly protocol: string;
  readonly members: readonly GroupMemberRow[];
  readonly partitions: readonly GroupPartitionRow[];
  readonly totalLag: number;
}
