/**
 * The states of a classic consumer group, named exactly as Kafka reports them in
 * DescribeGroups and ListGroups (clients and tools compare these strings):
 *
 *   Empty -> PreparingRebalance -> CompletingRebalance -> Stable
 *     ^             ^    |                 |               |
 *     +-------------|----+ (no member      +---------------+ (member joins, leaves or
 *                   |       rejoined)      |                  fails: rebalance again)
 *                   +----------------------+
 *   any state -> Dead (group deleted, or its coordinator partition unloaded)
 */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export const GROUP_STATES: readonly GroupState[] = ['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead'];

/** For each state, the states it may be entered from (Kafka's GroupState.validPreviousStates). */
const VALID_PREVIOUS: Record<GroupState, readonly GroupState[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
};

export function canTransition(from: GroupState, to: GroupState): boolean {
  return VALID_PREVIOUS[to].includes(from);
}

/**
 * A state name from a ListGroups states filter (KIP-518). Kafka compares case-insensitively;
 * an unknown name matches no group rather than failing the request.
 */
export function parseGroupState(name: string): GroupState | undefined {
  const lower = name.toLowerCase();
  return GROUP_STATES.find((state) => state.toLowerCase() === lower);
}
