import type { AdminChange } from './adminChange';
import { topicArgument } from './kafkaCommand';
import type { ResetMode } from './offsetResetPlan';

/** One line saying what a change did, for the audit log view and the events timeline. */
export function summarizeChange(change: AdminChange): string {
  switch (change.kind) {
    case 'create-topic': {
      const shape = [change.partitions > 0 ? count(change.partitions, 'partition') : 'default partitions', change.replicationFactor > 0 ? `RF ${change.replicationFactor}` : 'default RF'];
      return `Created topic ${change.topic} (${shape.join(', ')})`;
    }
    case 'delete-topic':
      return `Deleted topic ${change.topic}`;
    case 'add-partitions':
      return `Raised ${change.topic} to ${count(change.totalPartitions, 'partition')}`;
    case 'alter-topic-configs': {
      const parts = [...Object.entries(change.set).map(([key, value]) => `${key}=${value}`), ...change.remove.map((key) => `${key} reset to default`)];
      return `Changed configs of ${change.topic}: ${parts.join(', ')}`;
    }
    case 'delete-records':
      return `Deleted records of ${change.topic} below offsets ${change.offsets.map((entry) => `${entry.partition}:${entry.offset}`).join(', ')}`;
    case 'produce':
      return `Produced a message to ${change.topic}${change.partition === undefined ? '' : `-${change.partition}`}`;
    case 'delete-group':
      return `Deleted consumer group ${change.group}`;
    case 'delete-group-offsets':
      return `Deleted offsets of group ${change.group} for ${topicArgument({ topic: change.topic, ...(change.partitions ? { partitions: change.partitions } : {}) })}`;
    case 'reset-offsets':
      return `${change.execute ? 'Reset' : 'Previewed a reset of'} offsets of group ${change.group} ${describeMode(change.mode)} (${change.scope.kind === 'all-topics' ? 'all topics' : change.scope.topics.map(topicArgument).join(', ')})`;
    case 'alter-broker-configs': {
      const parts = [...Object.entries(change.set).map(([key, value]) => `${key}=${value}`), ...change.remove.map((key) => `${key} removed`)];
      return `Changed configs of ${change.broker === null ? 'the cluster-wide broker default' : `broker ${change.broker}`}: ${parts.join(', ')}`;
    }
    case 'reassign-partitions':
      return `Reassigned ${count(change.partitions.length, 'partition')}${change.throttleBytesPerSec === undefined ? '' : ` (throttled to ${change.throttleBytesPerSec} B/s)`}`;
    case 'remove-reassignment-throttle':
      return `Removed the replication throttle of ${count(change.partitions.length, 'reassigned partition')}`;
    case 'cancel-reassignment':
      return `Cancelled the reassignment of ${count(change.partitions.length, 'partition')}`;
    case 'elect-leaders':
      return `Ran a ${change.electionType} leader election on ${change.partitions === null ? 'all partitions' : count(change.partitions.length, 'partition')}`;
  }
}

function describeMode(mode: ResetMode): string {
  switch (mode.mode) {
    case 'to-earliest':
      return 'to the earliest offsets';
    case 'to-latest':
      return 'to the latest offsets';
    case 'to-current':
      return 'to the current offsets';
    case 'to-offset':
      return `to offset ${mode.offset}`;
    case 'shift-by':
      return `by ${mode.shift}`;
    case 'to-datetime':
      return `to ${mode.datetime}`;
    case 'by-duration':
      return `back by ${mode.duration}`;
    case 'from-file':
      return `from ${mode.path}`;
  }
}

function count(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}
