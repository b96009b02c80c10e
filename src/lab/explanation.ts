import { PRESETS } from './presets';
import type { Acks, FaultKind, Guarantee, Scenario } from './scenario';
import type { Verification } from './verifier';

/**
 * Names the guarantee a run achieved and says why, in plain words that name the cause
 * ("acks=1 + kill-leader: 37 acknowledged records lost: they were only on the old leader").
 * Causes are matched from the settings, the fault as it actually happened, and where the
 * records went missing (the log or the consumer), so the text stays true to the run.
 */

/** What the fault injector did, as far as the explanation needs it. */
export interface FaultFacts {
  kind: FaultKind;
  /** False when the trigger never came (e.g. no batch left to kill the consumer in). */
  injected: boolean;
  /** The broker the fault hit (leader, follower or coordinator). */
  brokerId: number | null;
  /** Followers slowed before the leader was killed, so acks=1 records exist only on the leader. */
  slowedFollowers: number[];
  uncleanElections: { partition: number; leader: number; previousIsr: number[] }[];
  /** Why the fault did not strike, when it did not. */
  missedBecause?: string;
}

export interface Explanation {
  guarantee: Guarantee;
  /** Everything, first sentence first: the headline names the main cause. */
  explanation: string;
  causes: string[];
}

/** No loss and no repeat is exactly-once; loss without repeats is at-most-once, and so on. */
export function achievedGuarantee(verification: Pick<Verification, 'lost' | 'duplicates' | 'abortedSeen'>): Guarantee {
  const lossy = verification.lost.length > 0;
  // Delivering an aborted record is delivering something that, as far as the producer is concerned, was never written.
  const repeats = verification.duplicates.length > 0 || verification.abortedSeen.length > 0;
  if (lossy) return repeats ? 'none' : 'at-most-once';
  return repeats ? 'at-least-once' : 'exactly-once';
}

const ACKS_LABEL: Record<Acks, string> = { 0: 'acks=0', 1: 'acks=1', [-1]: 'acks=all' };

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const brokerName = (id: number | null) => (id === null ? 'the broker' : `broker ${id}`);

interface Cause {
  label: string;
  text: string;
}

function lossFromLog(scenario: Scenario, facts: FaultFacts, count: number): Cause {
  const { producer, workload, fault } = scenario;
  const records = plural(count, 'acknowledged record');
  if (producer.acks === 0) {
    return { label: `acks=0 + ${fault}`, text: `${records} lost: with acks=0 the producer counts a record as sent without any answer from the broker, so records sent to a leader that was going down were dropped unseen` };
  }
  const [election] = facts.uncleanElections;
  if (election !== undefined) {
    const weakIsr = producer.acks === -1 && workload.minInsyncReplicas < 2 ? ` (min.insync.replicas=${workload.minInsyncReplicas} let acks=all succeed with the leader alone in the ISR)` : '';
    return {
      label: `unclean election + min.insync.replicas=${workload.minInsyncReplicas}`,
      text: `${records} lost: broker ${election.leader}, outside the ISR [${election.previousIsr.join(',')}], became leader of partition ${election.partition}; the records only the old leader had were cut from its log when it rejoined as a follower${weakIsr}`,
    };
  }
  if (producer.acks === 1 && (fault === 'kill-leader' || fault === 'restart-leader')) {
    const slowed = facts.slowedFollowers.length > 0 ? `; its followers (brokers ${facts.slowedFollowers.join(',')}) had been slowed so they had not fetched them, and with acks=1 the leader answers before any follower has a copy` : '';
    return { label: `acks=1 + ${fault}`, text: `${records} lost: they were only on the old leader (${brokerName(facts.brokerId)})${slowed}; the new leader never had them` };
  }
  return { label: `${ACKS_LABEL[producer.acks]} + ${fault}`, text: `${records} are missing from the log after the ${fault} fault` };
}

function lossByConsumer(scenario: Scenario, facts: FaultFacts, count: number): Cause {
  const { consumer, fault } = scenario;
  const records = plural(count, 'acknowledged record');
  if (consumer.commit === 'before-processing' && fault === 'kill-consumer' && facts.injected) {
    return {
      label: 'commit before processing + kill-consumer',
      text: `${records} lost: they are in the log but were never processed: the offsets of the batch were committed before processing it, the consumer was killed mid-batch, and its replacement resumed after the committed offset`,
    };
  }
  if (facts.uncleanElections.length > 0) {
    return { label: `${consumer.commit} commit + unclean election`, text: `${records} in the log were never delivered: the consumer had read past the end of the new leader's log, and records written at those offsets after the election were skipped` };
  }
  return { label: `${consumer.commit} commit + ${fault}`, text: `${records} are in the log but were never delivered to the consumer` };
}

function producedDuplicates(scenario: Scenario, count: number): Cause {
  const { producer, fault } = scenario;
  const records = plural(count, 'record');
  if (!producer.idempotent) {
    return {
      label: `retries without idempotence + ${fault}`,
      text: `${records} written twice: the producer retried sends whose first attempt had already reached the log (its answer was lost in the ${fault}), and without idempotence the broker cannot tell a retry from new data`,
    };
  }
  return { label: `idempotent producer + ${fault}`, text: `${records} written twice despite idempotence: KIP-98 promises the broker drops retried batches, so this points at a broker bug` };
}

function processedDuplicates(scenario: Scenario, facts: FaultFacts, count: number): Cause {
  const { consumer, fault } = scenario;
  const records = plural(count, 'record');
  if (consumer.commit === 'transactional') {
    return { label: `transactional consume-transform-produce + ${fault}`, text: `${records} committed twice to the output topic: output and offsets commit atomically (KIP-98/KIP-447), so this points at a broker or coordinator bug` };
  }
  const commit = consumer.commit === 'auto' ? 'auto-commit' : 'commit after processing';
  if (fault === 'kill-consumer' && facts.injected) {
    return { label: `${commit} + kill-consumer`, text: `${records} processed twice: offsets are committed after processing, so what the killed consumer processed since its last commit was processed again by its replacement` };
  }
  if (fault === 'kill-coordinator' && facts.injected) {
    return { label: `${commit} + kill-coordinator`, text: `${records} processed twice: offset commits failed while the group coordinator (${brokerName(facts.brokerId)}) was down, so records were processed again after the group moved to a new coordinator` };
  }
  return { label: `${commit} + ${fault}`, text: `${records} delivered more than once: the consumer resumed from an offset before records it had already processed` };
}

function abortedDelivered(scenario: Scenario, count: number): Cause {
  const records = plural(count, 'record');
  if (scenario.consumer.isolation === 'read_uncommitted') {
    return { label: 'read_uncommitted + transactions', text: `${records} from aborted or unfinished transactions were delivered: a read_uncommitted consumer sees transactional records before (and whether or not) their transaction commits` };
  }
  return { label: 'read_committed', text: `${records} from aborted or unfinished transactions were delivered despite read_committed: the broker's last stable offset or aborted-transaction list is wrong` };
}

function cleanRunCause(scenario: Scenario, facts: FaultFacts, verification: Verification, abortedTransactions: number): Cause {
  const { preset, fault } = scenario;
  const label = preset === null ? `custom settings + ${fault}` : `${preset} + ${fault}`;
  const all = `all ${plural(verification.acknowledged, 'acknowledged record')} delivered exactly once`;
  const hidden = abortedTransactions > 0 && scenario.consumer.isolation === 'read_committed' ? `; the records of ${plural(abortedTransactions, 'aborted transaction')} were never seen (read_committed)` : '';
  if (preset !== null && preset !== 'exactly-once') {
    const breaking = Object.entries(PRESETS[preset].faults).filter(([kind, outcome]) => kind !== fault && outcome.breaks).map(([kind]) => kind);
    const why = fault === 'none' ? 'without a fault every setting delivers once' : `the ${fault} did not hit their weak spot in this run`;
    return { label, text: `${all}, but ${preset} settings do not promise that: ${why} (faults that break them: ${breaking.join(', ')})` };
  }
  const survived = fault === 'none' || !facts.injected ? '' : ` despite the ${fault}`;
  return { label, text: `${all}${survived}${hidden}` };
}

export function explain(scenario: Scenario, facts: FaultFacts, verification: Verification, abortedTransactions: number): Explanation {
  const causes: Cause[] = [];
  if (verification.lostFromLog.length > 0) causes.push(lossFromLog(scenario, facts, verification.lostFromLog.length));
  if (verification.lostByConsumer.length > 0) causes.push(lossByConsumer(scenario, facts, verification.lostByConsumer.length));
  if (verification.producedDuplicates.length > 0) causes.push(producedDuplicates(scenario, verification.producedDuplicates.length));
  if (verification.abortedSeen.length > 0) causes.push(abortedDelivered(scenario, verification.abortedSeen.length));
  // Repeats already explained by a second copy in the log, or by an aborted copy delivered, are not counted again.
  const explained = new Set([...verification.producedDuplicates, ...verification.abortedSeen]);
  const onlyProcessed = verification.processedDuplicates.filter((id) => !explained.has(id));
  if (onlyProcessed.length > 0) causes.push(processedDuplicates(scenario, facts, onlyProcessed.length));
  if (causes.length === 0) causes.push(cleanRunCause(scenario, facts, verification, abortedTransactions));

  const guarantee = achievedGuarantee(verification);
  const sentences = causes.map((cause) => `${cause.label}: ${cause.text}.`);
  if (verification.outOfOrder > 0) sentences.push(`${plural(verification.outOfOrder, 'record')} arrived out of order in their partition: a retried batch landed after a later one.`);
  if (!facts.injected && scenario.fault !== 'none') sentences.push(`The ${scenario.fault} fault never struck${facts.missedBecause ? ` (${facts.missedBecause})` : ''}, so this run shows the settings without it.`);
  const promised = scenario.preset === null ? '' : scenario.preset === guarantee ? ', as the preset promises' : `; the ${scenario.preset} preset promises ${scenario.preset}`;
  sentences.push(`Achieved: ${guarantee}${promised}.`);
  return { guarantee, explanation: sentences.join(' '), causes: causes.map((cause) => `${cause.label}: ${cause.text}`) };
}
