/**
 * What the coordinator answers a JoinGroup or SyncGroup with, independent of the request
 * version; the handlers shape these into each version's response.
 */

export interface JoinedMember {
  memberId: string;
  groupInstanceId: string | null;
  /** The member's metadata for the group's selected protocol (its subscription, for consumers). */
  metadata: Buffer;
}

export interface JoinGroupResult {
  errorCode: number;
  /** The member's id: newly assigned on a first join, '' when the join failed without one. */
  memberId: string;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leaderId: string;
  /** Every member with its metadata, for the leader only (it computes the assignment). */
  members: JoinedMember[];
}

export interface SyncGroupResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

const EMPTY = Buffer.alloc(0);
/** Kafka's "no generation" in a failed JoinGroup. */
const NO_GENERATION = -1;

export function joinError(memberId: string, errorCode: number): JoinGroupResult {
  return { errorCode, memberId, generationId: NO_GENERATION, protocolType: null, protocolName: null, leaderId: '', members: [] };
}

export function syncError(errorCode: number): SyncGroupResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY };
}
