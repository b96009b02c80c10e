import { z } from 'zod';
import { ClusterRefSchema } from './clusterRef';

const GroupIdSchema = z.string().min(1, 'A group id is not empty').max(1024, 'A group id is at most 1,024 characters');

export const GroupScopeSchema = z.strictObject({ clusterId: ClusterRefSchema, group: GroupIdSchema });

/**
 * Lag is read in bulk (one OffsetFetch per coordinator, one ListOffsets per leader: see
 * groupLag.ts), yet the cost still grows with the groups' partitions, so groups.lag without
 * names computes it for a bounded number of groups (the first by name) and says so; the
 * detail page always has the full figure. 2,000 groups cover the clusters issue 8 measures.
 */
export const GROUP_LAG_ALL_LIMIT = 2_000;

/**
 * Bound on the groups one groups.lag call may name: a page of the groups table (its rows in
 * view and a few around them) is tens of groups; every group at once is the call without names.
 */
export const GROUP_LAG_NAMED_MAX = 500;

/**
 * groups.lag: `groups` names the groups to read (the rows in view); without it, the first
 * groups by name up to the call's limit (what sorting by lag needs).
 */
export const GroupLagInputSchema = z.strictObject({
  clusterId: ClusterRefSchema,
  groups: z
    .array(GroupIdSchema)
    .min(1, 'Name at least one group, or leave groups out to read every group')
    .max(GROUP_LAG_NAMED_MAX, `At most ${GROUP_LAG_NAMED_MAX} groups per call; leave groups out to read every group`)
    .optional(),
});

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
 * Total lag read in bulk. Asked for named groups: each of them, in the order named (an
 * unknown group, or one deleted since, has null lag). Asked for every group: the first `limit`
 * by name; a group beyond the limit is not in `groups` (its own page has the figure).
 */
export interface GroupLagList {
  readonly groups: readonly GroupTotalLag[];
  /** How many groups a call without names reads. */
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
