/**
 * Kafka's protocol error codes: the int16 `ErrorCode` fields of every response.
 *
 * Codes and names are part of the wire contract and must match Apache Kafka exactly
 * (Kafka protocol guide, "Error Codes"); `retriable` follows Kafka's own classification
 * (the error's exception derives from RetriableException), which clients use to decide
 * whether to retry the same request. Messages are our own, written for someone looking at
 * the admin UI rather than for a Java stack trace.
 *
 * The table runs through the codes of Kafka 4.0 (up to 129) and also lists the few codes
 * Kafka 4.1 added (130-133), so an admin connection to a newer cluster still names them.
 */

export interface ErrorInfo {
  readonly code: number;
  readonly name: string;
  readonly retriable: boolean;
  readonly message: string;
}

const ERRORS = [
  { code: -1, name: 'UNKNOWN_SERVER_ERROR', retriable: false, message: 'The broker hit an unexpected failure while handling the request; its log has the details.' },
  { code: 0, name: 'NONE', retriable: false, message: 'No error.' },
  { code: 1, name: 'OFFSET_OUT_OF_RANGE', retriable: false, message: 'The requested offset lies outside the offsets this partition currently holds.' },
  { code: 2, name: 'CORRUPT_MESSAGE', retriable: true, message: 'A record failed validation: bad checksum, size out of bounds, missing key on a compacted topic, or otherwise damaged.' },
  { code: 3, name: 'UNKNOWN_TOPIC_OR_PARTITION', retriable: true, message: 'This broker does not know the topic or partition.' },
  { code: 4, name: 'INVALID_FETCH_SIZE', retriable: false, message: 'The fetch asked for an invalid number of bytes.' },
  { code: 5, name: 'LEADER_NOT_AVAILABLE', retriable: true, message: 'The partition has no leader right now, usually because an election is under way.' },
  { code: 6, name: 'NOT_LEADER_OR_FOLLOWER', retriable: true, message: 'This broker is not the leader (or not a replica) of the partition; refresh metadata and retry.' },
  { code: 7, name: 'REQUEST_TIMED_OUT', retriable: true, message: 'The broker gave up waiting for the request to complete.' },
  { code: 8, name: 'BROKER_NOT_AVAILABLE', retriable: false, message: 'The broker is not available.' },
  { code: 9, name: 'REPLICA_NOT_AVAILABLE', retriable: true, message: 'A replica of the partition is not available.' },
  { code: 10, name: 'MESSAGE_TOO_LARGE', retriable: false, message: 'A record batch is larger than the broker or topic accepts (message.max.bytes / max.message.bytes).' },
  { code: 11, name: 'STALE_CONTROLLER_EPOCH', retriable: false, message: 'The request came from a controller that has since been replaced.' },
  { code: 12, name: 'OFFSET_METADATA_TOO_LARGE', retriable: false, message: 'The metadata string attached to the committed offset is too long.' },
  { code: 13, name: 'NETWORK_EXCEPTION', retriable: true, message: 'The connection dropped before a response arrived.' },
  { code: 14, name: 'COORDINATOR_LOAD_IN_PROGRESS', retriable: true, message: 'The coordinator is still loading its state and cannot answer yet.' },
  { code: 15, name: 'COORDINATOR_NOT_AVAILABLE', retriable: true, message: 'No coordinator is available for this group or transaction right now.' },
  { code: 16, name: 'NOT_COORDINATOR', retriable: true, message: 'This broker is not the coordinator for the group or transaction; find the coordinator again.' },
  { code: 17, name: 'INVALID_TOPIC_EXCEPTION', retriable: false, message: 'The topic name is invalid, or the operation is not allowed on this topic.' },
  { code: 18, name: 'RECORD_LIST_TOO_LARGE', retriable: false, message: 'The record batch is larger than the log segment size.' },
  { code: 19, name: 'NOT_ENOUGH_REPLICAS', retriable: true, message: 'Too few in-sync replicas to satisfy min.insync.replicas; nothing was written.' },
  { code: 20, name: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', retriable: true, message: 'The records were written, but the in-sync replica set shrank below min.insync.replicas before they were acknowledged.' },
  { code: 21, name: 'INVALID_REQUIRED_ACKS', retriable: false, message: 'The produce request used an acks value other than -1, 0 or 1.' },
  { code: 22, name: 'ILLEGAL_GENERATION', retriable: false, message: 'The group generation in the request is not the current one; rejoin the group.' },
  { code: 23, name: 'INCONSISTENT_GROUP_PROTOCOL', retriable: false, message: 'The member\'s protocol type or protocols do not match the rest of the group.' },
  { code: 24, name: 'INVALID_GROUP_ID', retriable: false, message: 'The group id is empty or otherwise invalid.' },
  { code: 25, name: 'UNKNOWN_MEMBER_ID', retriable: false, message: 'The coordinator does not know this member id; rejoin the group.' },
  { code: 26, name: 'INVALID_SESSION_TIMEOUT', retriable: false, message: 'The session timeout is outside group.min.session.timeout.ms..group.max.session.timeout.ms.' },
  { code: 27, name: 'REBALANCE_IN_PROGRESS', retriable: false, message: 'The group is rebalancing; the member must rejoin.' },
  { code: 28, name: 'INVALID_COMMIT_OFFSET_SIZE', retriable: false, message: 'The offset commit is too large to store.' },
  { code: 29, name: 'TOPIC_AUTHORIZATION_FAILED', retriable: false, message: 'Not authorized to access the topic.' },
  { code: 30, name: 'GROUP_AUTHORIZATION_FAILED', retriable: false, message: 'Not authorized to access the group.' },
  { code: 31, name: 'CLUSTER_AUTHORIZATION_FAILED', retriable: false, message: 'Not authorized to perform this cluster operation.' },
  { code: 32, name: 'INVALID_TIMESTAMP', retriable: false, message: 'A record timestamp is outside the range the topic accepts.' },
  { code: 33, name: 'UNSUPPORTED_SASL_MECHANISM', retriable: false, message: 'The broker does not offer the requested SASL mechanism.' },
  { code: 34, name: 'ILLEGAL_SASL_STATE', retriable: false, message: 'The request is not allowed at this point of SASL authentication.' },
  { code: 35, name: 'UNSUPPORTED_VERSION', retriable: false, message: 'The broker does not support this version of the request.' },
  { code: 36, name: 'TOPIC_ALREADY_EXISTS', retriable: false, message: 'A topic with this name already exists.' },
  { code: 37, name: 'INVALID_PARTITIONS', retriable: false, message: 'The partition count is invalid (below 1, or not larger than the current count).' },
  { code: 38, name: 'INVALID_REPLICATION_FACTOR', retriable: false, message: 'The replication factor is below 1 or larger than the number of live brokers.' },
  { code: 39, name: 'INVALID_REPLICA_ASSIGNMENT', retriable: false, message: 'The manual replica assignment is invalid.' },
  { code: 40, name: 'INVALID_CONFIG', retriable: false, message: 'A configuration name or value is invalid.' },
  { code: 41, name: 'NOT_CONTROLLER', retriable: true, message: 'This node is not the active controller.' },
  { code: 42, name: 'INVALID_REQUEST', retriable: false, message: 'The request is malformed or not valid for this broker; the broker log says why.' },
  { code: 43, name: 'UNSUPPORTED_FOR_MESSAGE_FORMAT', retriable: false, message: 'The request needs a newer record format than the topic uses.' },
  { code: 44, name: 'POLICY_VIOLATION', retriable: false, message: 'The request was rejected by a configured policy.' },
  { code: 45, name: 'OUT_OF_ORDER_SEQUENCE_NUMBER', retriable: false, message: 'The idempotent producer sent a sequence number that skips ahead of the expected one.' },
  { code: 46, name: 'DUPLICATE_SEQUENCE_NUMBER', retriable: false, message: 'The idempotent producer resent a batch that was already written.' },
  { code: 47, name: 'INVALID_PRODUCER_EPOCH', retriable: false, message: 'The producer used an epoch older than the current one for its producer id.' },
  { code: 48, name: 'INVALID_TXN_STATE', retriable: false, message: 'The transactional operation is not allowed in the transaction\'s current state.' },
  { code: 49, name: 'INVALID_PRODUCER_ID_MAPPING', retriable: false, message: 'The producer id is not the one currently assigned to this transactional id.' },
  { code: 50, name: 'INVALID_TRANSACTION_TIMEOUT', retriable: false, message: 'The transaction timeout exceeds transaction.max.timeout.ms.' },
  { code: 51, name: 'CONCURRENT_TRANSACTIONS', retriable: true, message: 'Another operation on the same transaction is still in progress.' },
  { code: 52, name: 'TRANSACTION_COORDINATOR_FENCED', retriable: false, message: 'The transaction coordinator that sent the marker has been replaced.' },
  { code: 53, name: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', retriable: false, message: 'Not authorized to use the transactional id.' },
  { code: 54, name: 'SECURITY_DISABLED', retriable: false, message: 'Security features are turned off on this cluster.' },
  { code: 55, name: 'OPERATION_NOT_ATTEMPTED', retriable: false, message: 'The broker skipped this operation because another part of the same request failed.' },
  { code: 56, name: 'KAFKA_STORAGE_ERROR', retriable: true, message: 'The broker could not read or write the log directory holding this partition.' },
  { code: 57, name: 'LOG_DIR_NOT_FOUND', retriable: false, message: 'The log directory is not one of the broker\'s configured directories.' },
  { code: 58, name: 'SASL_AUTHENTICATION_FAILED', retriable: false, message: 'SASL authentication failed.' },
  { code: 59, name: 'UNKNOWN_PRODUCER_ID', retriable: false, message: 'The broker holds no state for this producer id, for example because its records were all removed by retention.' },
  { code: 60, name: 'REASSIGNMENT_IN_PROGRESS', retriable: false, message: 'A replica reassignment is already running for this partition.' },
  { code: 61, name: 'DELEGATION_TOKEN_AUTH_DISABLED', retriable: false, message: 'Delegation tokens are not enabled on this cluster.' },
  { code: 62, name: 'DELEGATION_TOKEN_NOT_FOUND', retriable: false, message: 'No such delegation token.' },
  { code: 63, name: 'DELEGATION_TOKEN_OWNER_MISMATCH', retriable: false, message: 'The principal is neither the owner nor a renewer of the delegation token.' },
  { code: 64, name: 'DELEGATION_TOKEN_REQUEST_NOT_ALLOWED', retriable: false, message: 'Delegation token requests need an authenticated connection that was not itself made with a token.' },
  { code: 65, name: 'DELEGATION_TOKEN_AUTHORIZATION_FAILED', retriable: false, message: 'Not authorized to manage the delegation token.' },
  { code: 66, name: 'DELEGATION_TOKEN_EXPIRED', retriable: false, message: 'The delegation token has expired.' },
  { code: 67, name: 'INVALID_PRINCIPAL_TYPE', retriable: false, message: 'The principal type is not supported.' },
  { code: 68, name: 'NON_EMPTY_GROUP', retriable: false, message: 'The group still has members; stop them first.' },
  { code: 69, name: 'GROUP_ID_NOT_FOUND', retriable: false, message: 'No such group.' },
  { code: 70, name: 'FETCH_SESSION_ID_NOT_FOUND', retriable: true, message: 'The incremental fetch session is unknown to the broker; start a new one.' },
  { code: 71, name: 'INVALID_FETCH_SESSION_EPOCH', retriable: true, message: 'The fetch session epoch does not follow the previous one; start a new session.' },
  { code: 72, name: 'LISTENER_NOT_FOUND', retriable: true, message: 'The partition leader has no listener with the name this request arrived on.' },
  { code: 73, name: 'TOPIC_DELETION_DISABLED', retriable: false, message: 'Topic deletion is turned off (delete.topic.enable=false).' },
  { code: 74, name: 'FENCED_LEADER_EPOCH', retriable: true, message: 'The leader epoch in the request is older than the broker\'s; refresh metadata.' },
  { code: 75, name: 'UNKNOWN_LEADER_EPOCH', retriable: true, message: 'The leader epoch in the request is newer than the broker knows about yet.' },
  { code: 76, name: 'UNSUPPORTED_COMPRESSION_TYPE', retriable: false, message: 'The client cannot read the compression codec used by this partition.' },
  { code: 77, name: 'STALE_BROKER_EPOCH', retriable: false, message: 'The broker epoch in the request is no longer current.' },
  { code: 78, name: 'OFFSET_NOT_AVAILABLE', retriable: true, message: 'A new leader has not yet caught its high watermark up, so offsets are not final.' },
  { code: 79, name: 'MEMBER_ID_REQUIRED', retriable: false, message: 'Join again using the member id the coordinator just assigned.' },
  { code: 80, name: 'PREFERRED_LEADER_NOT_AVAILABLE', retriable: true, message: 'The preferred replica cannot become leader right now.' },
  { code: 81, name: 'GROUP_MAX_SIZE_REACHED', retriable: false, message: 'The group already has as many members as group.max.size allows.' },
  { code: 82, name: 'FENCED_INSTANCE_ID', retriable: false, message: 'Another member with the same group.instance.id has replaced this one.' },
  { code: 83, name: 'ELIGIBLE_LEADERS_NOT_AVAILABLE', retriable: true, message: 'No replica eligible for election is available.' },
  { code: 84, name: 'ELECTION_NOT_NEEDED', retriable: true, message: 'The partition already has the leader the election would choose.' },
  { code: 85, name: 'NO_REASSIGNMENT_IN_PROGRESS', retriable: false, message: 'There is no reassignment running for this partition.' },
  { code: 86, name: 'GROUP_SUBSCRIBED_TO_TOPIC', retriable: false, message: 'The group is still subscribed to the topic, so its offsets for it cannot be deleted.' },
  { code: 87, name: 'INVALID_RECORD', retriable: false, message: 'The broker rejected a record that failed its validation.' },
  { code: 88, name: 'UNSTABLE_OFFSET_COMMIT', retriable: true, message: 'Offsets are pending in an open transaction; retry once it completes.' },
  { code: 89, name: 'THROTTLING_QUOTA_EXCEEDED', retriable: true, message: 'The request exceeds the client\'s quota for this operation; retry later.' },
  { code: 90, name: 'PRODUCER_FENCED', retriable: false, message: 'A newer producer with the same transactional id has taken over.' },
  { code: 91, name: 'RESOURCE_NOT_FOUND', retriable: false, message: 'The request refers to a resource that does not exist.' },
  { code: 92, name: 'DUPLICATE_RESOURCE', retriable: false, message: 'The request names the same resource more than once.' },
  { code: 93, name: 'UNACCEPTABLE_CREDENTIAL', retriable: false, message: 'The credential does not meet the requirements.' },
  { code: 94, name: 'INCONSISTENT_VOTER_SET', retriable: false, message: 'The sender or receiver is not in the expected set of quorum voters.' },
  { code: 95, name: 'INVALID_UPDATE_VERSION', retriable: false, message: 'The update version is invalid.' },
  { code: 96, name: 'FEATURE_UPDATE_FAILED', retriable: false, message: 'The finalized feature levels could not be updated.' },
  { code: 97, name: 'PRINCIPAL_DESERIALIZATION_FAILURE', retriable: false, message: 'A forwarded request carried a principal the controller could not read.' },
  { code: 98, name: 'SNAPSHOT_NOT_FOUND', retriable: false, message: 'No such metadata snapshot.' },
  { code: 99, name: 'POSITION_OUT_OF_RANGE', retriable: false, message: 'The position is negative or beyond the end of the snapshot.' },
  { code: 100, name: 'UNKNOWN_TOPIC_ID', retriable: true, message: 'This broker does not know the topic id.' },
  { code: 101, name: 'DUPLICATE_BROKER_REGISTRATION', retriable: false, message: 'Another broker is already registered with this id.' },
  { code: 102, name: 'BROKER_ID_NOT_REGISTERED', retriable: false, message: 'No broker is registered with this id.' },
  { code: 103, name: 'INCONSISTENT_TOPIC_ID', retriable: true, message: 'The topic id in the request differs from the one in the log.' },
  { code: 104, name: 'INCONSISTENT_CLUSTER_ID', retriable: false, message: 'The cluster id in the request differs from this cluster\'s.' },
  { code: 105, name: 'TRANSACTIONAL_ID_NOT_FOUND', retriable: false, message: 'No such transactional id.' },
  { code: 106, name: 'FETCH_SESSION_TOPIC_ID_ERROR', retriable: true, message: 'The fetch session mixes topic ids inconsistently.' },
  { code: 107, name: 'INELIGIBLE_REPLICA', retriable: false, message: 'The proposed in-sync replica set includes a replica that is not eligible.' },
  { code: 108, name: 'NEW_LEADER_ELECTED', retriable: false, message: 'The partition state was updated, but a different leader has been elected meanwhile.' },
  { code: 109, name: 'OFFSET_MOVED_TO_TIERED_STORAGE', retriable: false, message: 'The offset is only available from tiered storage.' },
  { code: 110, name: 'FENCED_MEMBER_EPOCH', retriable: false, message: 'The member epoch was fenced; the member must give up its partitions and rejoin.' },
  { code: 111, name: 'UNRELEASED_INSTANCE_ID', retriable: false, message: 'Another member still holds this instance id and must leave first.' },
  { code: 112, name: 'UNSUPPORTED_ASSIGNOR', retriable: false, message: 'The group does not support the requested assignor or its version.' },
  { code: 113, name: 'STALE_MEMBER_EPOCH', retriable: false, message: 'The member epoch is out of date; heartbeat to learn the current one and retry.' },
  { code: 114, name: 'MISMATCHED_ENDPOINT_TYPE', retriable: false, message: 'The request went to the wrong kind of endpoint (broker versus controller).' },
  { code: 115, name: 'UNSUPPORTED_ENDPOINT_TYPE', retriable: false, message: 'This kind of endpoint is not supported yet.' },
  { code: 116, name: 'UNKNOWN_CONTROLLER_ID', retriable: false, message: 'No controller with this id is known.' },
  { code: 117, name: 'UNKNOWN_SUBSCRIPTION_ID', retriable: false, message: 'The client telemetry subscription id is unknown or out of date.' },
  { code: 118, name: 'TELEMETRY_TOO_LARGE', retriable: false, message: 'The pushed client telemetry is larger than the broker accepts.' },
  { code: 119, name: 'INVALID_REGISTRATION', retriable: false, message: 'The controller rejected the broker registration.' },
  { code: 120, name: 'TRANSACTION_ABORTABLE', retriable: false, message: 'The transaction hit a broker-side error; abort it to keep using the transactional id.' },
  { code: 121, name: 'INVALID_RECORD_STATE', retriable: false, message: 'The record is not in a state that allows this acknowledgement.' },
  { code: 122, name: 'SHARE_SESSION_NOT_FOUND', retriable: true, message: 'The share session is unknown to the broker.' },
  { code: 123, name: 'INVALID_SHARE_SESSION_EPOCH', retriable: true, message: 'The share session epoch does not follow the previous one.' },
  { code: 124, name: 'FENCED_STATE_EPOCH', retriable: false, message: 'The share-group state epoch does not match the share coordinator\'s.' },
  { code: 125, name: 'INVALID_VOTER_KEY', retriable: false, message: 'The voter key does not match the receiving replica.' },
  { code: 126, name: 'DUPLICATE_VOTER', retriable: false, message: 'The voter is already in the voter set.' },
  { code: 127, name: 'VOTER_NOT_FOUND', retriable: false, message: 'The voter is not in the voter set.' },
  { code: 128, name: 'INVALID_REGULAR_EXPRESSION', retriable: false, message: 'The subscription regular expression is invalid.' },
  { code: 129, name: 'REBOOTSTRAP_REQUIRED', retriable: false, message: 'The client\'s view of the cluster is out of date; reconnect to the bootstrap servers.' },
  { code: 130, name: 'STREAMS_INVALID_TOPOLOGY', retriable: false, message: 'The Streams topology is invalid.' },
  { code: 131, name: 'STREAMS_INVALID_TOPOLOGY_EPOCH', retriable: false, message: 'The Streams topology epoch is invalid.' },
  { code: 132, name: 'STREAMS_TOPOLOGY_FENCED', retriable: false, message: 'The Streams topology epoch is out of date.' },
  { code: 133, name: 'SHARE_SESSION_LIMIT_REACHED', retriable: true, message: 'The broker already has as many share sessions as it allows.' },
] as const satisfies readonly ErrorInfo[];

type ErrorEntry = (typeof ERRORS)[number];
export type ErrorName = ErrorEntry['name'];

/** Name to code, e.g. `ErrorCode.NOT_LEADER_OR_FOLLOWER === 6`. */
export const ErrorCode = Object.freeze(
  Object.fromEntries(ERRORS.map((entry) => [entry.name, entry.code])),
) as { readonly [E in ErrorEntry as E['name']]: E['code'] };

export type ErrorCodeValue = ErrorEntry['code'];

const BY_CODE: ReadonlyMap<number, ErrorInfo> = new Map(ERRORS.map((entry) => [entry.code, entry]));

/** Every known error, in code order. */
export const ALL_ERRORS: readonly ErrorInfo[] = ERRORS;

export function isKnownErrorCode(code: number): code is ErrorCodeValue {
  return BY_CODE.has(code);
}

/**
 * Details for a code. A code we do not know (a newer broker) keeps its number but is
 * treated like UNKNOWN_SERVER_ERROR, non-retriable, which is what Kafka's own clients do.
 */
/**
 * The partition's leader moved or is moving (an election, a controlled shutdown, a
 * reassignment): a client refreshes its metadata and asks again, as Kafka's clients do.
 */
export function isLeadershipChange(code: number): boolean {
  return code === ErrorCode.NOT_LEADER_OR_FOLLOWER || code === ErrorCode.LEADER_NOT_AVAILABLE || code === ErrorCode.FENCED_LEADER_EPOCH || code === ErrorCode.UNKNOWN_LEADER_EPOCH;
}

export function errorInfo(code: number): ErrorInfo {
  return (
    BY_CODE.get(code) ?? {
      code,
      name: 'UNKNOWN_SERVER_ERROR',
      retriable: false,
      message: `The broker answered with error code ${code}, which this version of Samsa does not know.`,
    }
  );
}

/**
 * A Kafka error code raised as an exception, for the boundaries where a Result would be
 * awkward (e.g. the admin service rejecting a promise). `name` is the Kafka name so logs and
 * stack traces read `NOT_COORDINATOR: ...`.
 */
export class KafkaError extends Error {
  override readonly name: string;
  readonly code: number;
  readonly retriable: boolean;

  /** `detail` adds what the generic message cannot know, e.g. which topic or group. */
  constructor(code: number, detail?: string) {
    const info = errorInfo(code);
    super(detail ? `${info.message} (${detail})` : info.message);
    this.name = info.name;
    this.code = code;
    this.retriable = info.retriable;
  }
}

export function isKafkaError(error: unknown): error is KafkaError {
  return error instanceof KafkaError;
}
