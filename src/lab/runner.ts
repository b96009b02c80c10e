import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AdminSession } from '../admin/adminSession';
import type { ClusterEvent } from '../engine/cluster/clusterHost';
import { ConsumerDriver, labConsumerLauncher, type ConsumerLauncher } from './consumerDriver';
import { explain } from './explanation';
import { FaultInjector, replicaAssignment } from './faultInjector';
import type { LabCluster } from './labCluster';
import { readSettledTopicLog, readTopicLog, transactionCommitted } from './logReader';
import { produceWorkload, type ProduceOutcome } from './producerDriver';
import type { LabPhase, LabProgressListener } from './progress';
import type { LabReport } from './report';
import { scenarioProblems, type Scenario } from './scenario';
import { verify, type Delivery, type LogEntry } from './verifier';

/**
 * Runs one lab scenario against a cluster: creates the run's topics, starts the consumer
 * process, produces the workload while the fault injector strikes and heals, drains the
 * consumer, reads the log back and verifies. Progress goes to `onProgress` as it happens;
 * the report is the result. Every wait is bounded, and whatever happens the consumers are
 * stopped and the cluster is healed before this returns.
 */
export interface LabRunOptions {
  cluster: LabCluster;
  onProgress?: LabProgressListener;
  /** Cancels the run (the UI's stop button); cleanup still happens. */
  signal?: AbortSignal;
  /** How to start consumer processes; by default the lab consumer bundle (see labConsumerLauncher). */
  consumerLauncher?: ConsumerLauncher;
  /** Keep the run's topics afterwards (for a look at them); they are deleted by default. */
  keepTopics?: boolean;
  /** Names the run's topics and group (samsa-lab-<runId>-...); random by default. */
  runId?: string;
  /** Diagnostics that are not progress (a consumer replaced, a slow heal). */
  log?: (message: string) => void;
}

export class LabSettingsError extends Error {
  override readonly name = 'LabSettingsError';
}

const COUNTS_INTERVAL_MS = 250;
const RECOVERY_TIMEOUT_MS = 120_000;
const DRAIN_TIMEOUT_MS = 90_000;
/** Past the session timeout, so a rebalance after a kill is not mistaken for the end. */
const QUIET_AFTER_SESSION_MS = 5000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runScenario(scenario: Scenario, options: LabRunOptions): Promise<LabReport> {
  const problems = scenarioProblems(scenario);
  if (problems.length > 0) throw new LabSettingsError(`these lab settings cannot run: ${problems.join('; ')}`);
  const signal = options.signal ?? new AbortController().signal;
  const emit = options.onProgress ?? (() => undefined);
  const log = options.log ?? (() => undefined);
  const startedAt = Date.now();
  const phase = (name: LabPhase) => emit({ type: 'phase', phase: name, at: Date.now() });

  const runId = options.runId ?? randomBytes(4).toString('hex');
  const input = `samsa-lab-${runId}-input`;
  const transform = scenario.consumer.commit === 'transactional';
  const output = transform ? `samsa-lab-${runId}-output` : null;
  const groupId = `samsa-lab-${runId}`;
  const { workload } = scenario;

  phase('preparing');
  const events: ClusterEvent[] = [];
  const unsubscribe = options.cluster.subscribe((event) => {
    // Other topics (internal ones move with every broker fault) would bury the run's own story.
    if ('topic' in event && event.topic !== input && event.topic !== output) return;
    events.push(event);
    emit({ type: 'cluster', event });
  });
  const journalDir = mkdtempSync(path.join(tmpdir(), 'samsa-lab-journal-'));
  const session = await AdminSession.connect({
    settings: { bootstrapServers: options.cluster.bootstrap, securityProtocol: 'PLAINTEXT', clientId: 'samsa-lab', connectTimeoutMs: 5000, requestTimeoutMs: 15_000 },
    audit: null,
    operationTimeoutMs: 60_000,
  });
  const consumers = new ConsumerDriver(
    {
      bootstrap: options.cluster.bootstrap,
      groupId,
      inputTopic: input,
      outputTopic: output,
      transactionalId: transform ? `${groupId}-transform` : null,
      commit: scenario.consumer.commit,
      isolation: scenario.consumer.isolation,
      sessionTimeoutMs: scenario.consumer.sessionTimeoutMs,
    },
    journalDir,
    options.consumerLauncher ?? labConsumerLauncher(),
    log,
  );
  const injector = new FaultInjector({ scenario, cluster: options.cluster, session, topic: input, groupId, consumers, onStep: (step) => emit({ type: 'fault', step }), log });

  let acknowledged = 0;
  let failed = 0;
  const timeline: LabReport['timeline'] = [];
  const sampleCounts = () => {
    const consumed = consumers.poll();
    injector.onConsumed(consumed);
    const last = timeline.at(-1);
    if (last === undefined || last.acknowledged !== acknowledged || last.consumed !== consumed) {
      const at = Date.now();
      timeline.push({ at, acknowledged, consumed });
      emit({ type: 'counts', acknowledged, failed, consumed, at });
    }
  };
  const sampler = setInterval(sampleCounts, COUNTS_INTERVAL_MS);

  try {
    const brokers = (await options.cluster.brokers()).filter((b) => b.state === 'running').map((b) => b.brokerId);
    if (brokers.length < workload.replicationFactor) {
      throw new LabSettingsError(`replication factor ${workload.replicationFactor} needs that many running brokers; the cluster has ${brokers.length}`);
    }
    await createTopics(session, scenario, brokers, input, output);

    phase('starting-consumer');
    const holdAfter = scenario.fault === 'kill-consumer' ? Math.max(1, Math.floor(workload.records * scenario.faultAt)) : null;
    await consumers.start(holdAfter);

    phase('producing');
    injector.start();
    let produced: ProduceOutcome;
    try {
      produced = await produceWorkload({
        bootstrap: options.cluster.bootstrap,
        topic: input,
        workload,
        settings: scenario.producer,
        transactionalId: `${groupId}-producer`,
        beforeSend: (count) => injector.beforeSend(count),
        committedInLog: (txn) => transactionCommitted(session, input, txn, signal),
        onProgress: (ackedSoFar, failedSoFar) => {
          acknowledged = ackedSoFar;
          failed = failedSoFar;
        },
        signal,
      });
    } finally {
      injector.productionDone();
    }

    phase('recovering');
    const quietMs = scenario.consumer.sessionTimeoutMs + QUIET_AFTER_SESSION_MS;
    // Quiet is measured from the start of each phase: a consumer stalled by the fault gets a full quiet period to come back.
    const quietSince = (phaseStart: number) => Date.now() - Math.max(consumers.lastProgressAt, phaseStart) > quietMs;
    const recoveryStart = Date.now();
    while (!injector.done && Date.now() < recoveryStart + RECOVERY_TIMEOUT_MS) {
      signal.throwIfAborted();
      sampleCounts();
      if (quietSince(recoveryStart)) injector.consumptionDone();
      await sleep(COUNTS_INTERVAL_MS);
    }
    await injector.finish();

    phase('draining');
    // What the consumer must deliver, once the workload's last commit markers are in place: a
    // transaction still open here would be left out of the drain's target and read as lost.
    let inputLog = await readSettledTopicLog(session, input, signal);
    const visible = inputLog.filter((entry) => entry.fate === 'plain' || entry.fate === 'committed').map((entry) => entry.value.id);
    const drainStart = Date.now();
    while (Date.now() < drainStart + DRAIN_TIMEOUT_MS) {
      signal.throwIfAborted();
      sampleCounts();
      if (consumers.hasDelivered(visible) || quietSince(drainStart)) break;
      await sleep(COUNTS_INTERVAL_MS);
    }
    await consumers.close();
    sampleCounts();

    phase('verifying');
    // Read again: a partition that was still catching up a moment ago has settled by now.
    inputLog = await readTopicLog(session, input);
    // The consumer's last transaction committed just before it stopped: its markers may still be on their way.
    const deliveries = output === null ? journalDeliveries(consumers) : outputDeliveries(await readSettledTopicLog(session, output, signal));
    const verification = verify({ acknowledged: produced.acknowledged, inputLog, deliveries });
    const fault = injector.report();
    const explanation = explain(scenario, fault, verification, produced.transactions?.abortedOnPurpose ?? 0);
    phase('done');
    return {
      runId,
      scenario,
      topics: { input, output },
      group: groupId,
      ...verification,
      acknowledgedIds: produced.acknowledged,
      failedSends: produced.failed.length,
      transactions: produced.transactions,
      guarantee: explanation.guarantee,
      expected: scenario.preset,
      explanation: explanation.explanation,
      causes: explanation.causes,
      fault,
      events,
      timeline,
      timings: { startedAt, producedMs: produced.elapsedMs, totalMs: Date.now() - startedAt },
    };
  } finally {
    clearInterval(sampler);
    await consumers.close().catch(() => undefined);
    await injector.restoreCluster().catch((error: unknown) => log(`could not restore the cluster: ${String(error)}`));
    injector.close();
    if (!options.keepTopics) {
      await session
        .admin()
        .then((admin) => admin.deleteTopics({ topics: output === null ? [input] : [input, output], timeout: 15_000 }))
        .catch((error: unknown) => log(`could not delete the lab topics: ${String(error)}`));
    }
    await session.close();
    unsubscribe();
    rmSync(journalDir, { recursive: true, force: true });
  }
}

async function createTopics(session: AdminSession, scenario: Scenario, brokers: number[], input: string, output: string | null): Promise<void> {
  const { workload, fault } = scenario;
  const assignment = replicaAssignment(brokers, workload.partitions, workload.replicationFactor, fault);
  const configEntries = [
    { name: 'min.insync.replicas', value: String(workload.minInsyncReplicas) },
    // Only the unclean-election fault allows it; everywhere else a partition without ISR waits, as by default.
    { name: 'unclean.leader.election.enable', value: String(fault === 'unclean-election') },
  ];
  const admin = await session.admin();
  const topics = [input, ...(output === null ? [] : [output])].map((topic) => ({
    topic,
    replicaAssignment: assignment.map((replicas, partition) => ({ partition, replicas })),
    configEntries,
  }));
  await admin.createTopics({ topics, waitForLeaders: true, timeout: 30_000 });
}

function journalDeliveries(consumers: ConsumerDriver): Delivery[] {
  return consumers.journal().flatMap((entry) => (entry.kind === 'processed' ? [{ id: entry.id, sourceTxn: entry.txn }] : []));
}

/** Consume-transform-produce delivers what its committed transactions put in the output topic. */
function outputDeliveries(outputLog: readonly LogEntry[]): Delivery[] {
  return outputLog.filter((entry) => entry.fate === 'plain' || entry.fate === 'committed').map((entry) => ({ id: entry.value.id, sourceTxn: entry.value.sourceTxn ?? null }));
}
