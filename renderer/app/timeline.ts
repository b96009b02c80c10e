import type { TimelineEvent } from '../../src/api/schemas/embedded';

/** Kafka's internal topics (__consumer_offsets, __transaction_state) start with two underscores. */
export function isInternalTopic(name: string): boolean {
  return name.startsWith('__');
}

export type EventSeverity = 'info' | 'warning' | 'danger';

export interface DescribedEvent {
  readonly title: string;
  readonly detail: string;
  readonly severity: EventSeverity;
}

function brokers(ids: readonly number[]): string {
  return ids.length === 0 ? 'none' : ids.join(', ');
}

/** One line per event for the timeline, with how much it matters. */
export function describeEvent(event: TimelineEvent): DescribedEvent {
  switch (event.type) {
    case 'broker-state': {
      const down = event.state === 'killed' || event.state === 'crashed' || event.state === 'stopped';
      return {
        title: `Broker ${event.brokerId} ${event.state}`,
        detail: `was ${event.previous}`,
        severity: event.state === 'killed' || event.state === 'crashed' ? 'danger' : down ? 'warning' : 'info',
      };
    }
    case 'broker-fault':
      return event.isolated
        ? { title: `Broker ${event.brokerId} isolated`, detail: 'cut off from the controller and the other brokers', severity: 'warning' }
        : { title: `Broker ${event.brokerId} healed`, detail: 'links to the controller and the other brokers restored', severity: 'info' };
    case 'leader-change':
      return {
        title: `${event.topic}-${event.partition}: leader ${event.leader === -1 ? 'none (offline)' : event.leader}`,
        detail: `was ${event.previousLeader === -1 ? 'none' : event.previousLeader}, leader epoch ${event.leaderEpoch}`,
        severity: event.leader === -1 ? 'danger' : 'info',
      };
    case 'isr-change': {
      const shrank = event.isr.length < event.previousIsr.length;
      return {
        title: `${event.topic}-${event.partition}: ISR ${shrank ? 'shrank' : 'expanded'} to [${brokers(event.isr)}]`,
        detail: `was [${brokers(event.previousIsr)}]`,
        severity: shrank ? 'warning' : 'info',
      };
    }
    case 'unclean-election':
      return {
        title: `${event.topic}-${event.partition}: unclean election of broker ${event.leader}`,
        detail: `possible data loss: the new leader was not in the ISR [${brokers(event.previousIsr)}]`,
        severity: 'danger',
      };
  }
}

/** Events about internal topics are hidden unless asked for: a broker death moves dozens of them. */
export function visibleEvents(events: readonly TimelineEvent[], includeInternal: boolean): TimelineEvent[] {
  return events.filter((event) => includeInternal || !('topic' in event) || !isInternalTopic(event.topic));
}

/** As many events as the back end keeps: the timeline never holds more than it could refetch. */
const EVENTS_KEPT = 2_000;

/**
 * Adds pushed events to a cached timeline, in order and without duplicates: an event can
 * arrive both pushed and in a refetch, and `seq` tells which are new.
 */
export function appendEvents(current: readonly TimelineEvent[], incoming: readonly TimelineEvent[], keep = EVENTS_KEPT): TimelineEvent[] {
  const lastSeq = current.at(-1)?.seq ?? 0;
  const fresh = incoming.filter((event) => event.seq > lastSeq);
  if (fresh.length === 0) return [...current];
  const merged = [...current, ...fresh];
  return merged.length > keep ? merged.slice(merged.length - keep) : merged;
}
