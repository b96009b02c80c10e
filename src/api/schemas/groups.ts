import { z } from 'zod';
import { ClusterRefSchema } from './clusterRef';

export const GroupScopeSchema = z.strictObject({ clusterId: ClusterRefSchema, group: z.string().min(1).max(1024) });

export interface GroupRow {
  readonly group: string;
  readonly state: string;
  readonly protocolType: string;
  readonly members: number;
  /** Sum of per-partition lag; null when not computed this refresh (see GroupList.lagChecked). */
  readonly totalLag: number | null;
}

export interface GroupList {
  readonly groups: readonly GroupRow[];
  /** Lag is computed for at most this many groups (the first by name); the rest show no lag. */
  readonly lagChecked: number;
  /** Set when lag could not be read at all, saying why. */
  readonly lagUnavailable: string | null;
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
