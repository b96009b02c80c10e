// The classic consumer-group APIs, all served by the group coordinator. FindCoordinator lives
// elsewhere because transactions share it; it locates the coordinator with
// groupCoordinatorPartition.
import type { GroupCoordinator } from '../../coordinator/groupCoordinator';
import type { AnyApiHandler } from '../apiHandler';
import { deleteGroupsHandler } from './deleteGroups';
import { describeGroupsHandler } from './describeGroups';
import { heartbeatHandler } from './heartbeat';
import { joinGroupHandler } from './joinGroup';
import { leaveGroupHandler } from './leaveGroup';
import { listGroupsHandler } from './listGroups';
import { offsetCommitHandler, type PartitionExists } from './offsetCommit';
import { offsetDeleteHandler } from './offsetDelete';
import { offsetFetchHandler } from './offsetFetch';
import { syncGroupHandler } from './syncGroup';

export interface GroupHandlerOptions {
  /**
   * Whether a topic partition exists (from the broker's metadata image): OffsetCommit and
   * OffsetDelete answer UNKNOWN_TOPIC_OR_PARTITION for others, as Kafka does. Without it
   * every partition is accepted.
   */
  partitionExists?: PartitionExists;
}

export function groupHandlers(coordinator: GroupCoordinator, options: GroupHandlerOptions = {}): AnyApiHandler[] {
  return [
    joinGroupHandler(coordinator),
    syncGroupHandler(coordinator),
    heartbeatHandler(coordinator),
    leaveGroupHandler(coordinator),
    offsetCommitHandler(coordinator, options.partitionExists),
    offsetFetchHandler(coordinator),
    offsetDeleteHandler(coordinator, options.partitionExists),
    describeGroupsHandler(coordinator),
    listGroupsHandler(coordinator),
    deleteGroupsHandler(coordinator),
  ];
}
