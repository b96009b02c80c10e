import type { AdminSession } from '../admin/adminSession';
import { findGroupCoordinator } from '../admin/groups';
import { topicMetadata } from '../admin/topicMetadata';
import type { ClusterEvent } from '../engine/cluster/clusterHost';
import type { ConsumerDriver } from './consumerDriver';
import type { FaultFacts } from './explanation';
import type { LabCluster } from './labCluster';
import type { FaultStep } from './progress';
import type { FaultKind, Scenario } from './scenario';

/**
 * Makes the chosen fault happen at a reproducible point of the workload, then heals it.
 * Producer-side faults strike when a given number of records is acknowledged: the producer
 * waits at a gate before each send, so a step (slowing followers, say) takes effect between
 * two known sends. Consumer-side faults strike at a count of processed records, or (killing
 * the consumer) when the consumer reports it is in the middle of a batch.
 *
 * Why acks=1 + kill-leader loses deterministically: the leader's followers are slowed
 * first, so for the next records the leader is the only replica that has them while the
 * followers stay in the ISR (the kill comes well within replica.lag.time.max.ms). acks=1
 * answers after the leader's own write, so those records are acknowledged; the clean
 * election then picks a follower that never had them, and the old leader truncates to it.
 */

/** A follower fetch delay long enough that nothing more is replicated before the kill. */
const SLOW_FETCH_DELAY_MS = 60_000;
/** How long a broker stays down, isolated or slowed before it is healed. */
const FAULT_HOLD_MS = 3000;
/** Share of the workload produced while the leader alone has the new records, before it is killed. */
const LEADER_ONLY_SHARE = 0.3;
/** ...or this long after, if production stalls (acks=all waiting on the ISR, or no leader). */
const LEADER_ONLY_WAIT_MS = 1500;
const HEALTHY_TIMEOUT_MS = 60_000;
const POLL_MS = 200;

type Release = () => void;

interface Waiter {
  count: number;
  resolve: (release: Release | null) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Replica lists for the lab topic, leaders rotating over the brokers. For isolate-follower
 * the last broker never leads, so isolating it cuts off a follower only (an isolated
 * leader would keep accepting writes from clients that can still reach it, which is a
 * different experiment).
 */
export function replicaAssignment(brokers: readonly number[], partitions: number, replicationFactor: number, fault: FaultKind): number[][] {
  const sorted = [...brokers].sort((a, b) => a - b);
  const follower = fault === 'isolate-follower' && sorted.length > replicationFactor - 1 && sorted.length > 1 ? sorted.at(-1)! : null;
  const leaders = follower === null ? sorted : sorted.filter((id) => id !== follower);
  return Array.from({ length: partitions }, (_, p) => {
    const leader = leaders[p % leaders.length]!;
    const rest = sorted.filter((id) => id !== leader);
    const rotated = [...rest.slice(p % rest.length), ...rest.slice(0, p % rest.length)];
    const followers = follower === null ? rotated : [follower, ...rotated.filter((id) => id !== follower)];
    return [leader, ...followers].slice(0, replicationFactor);
  });
}

export interface FaultInjectorOptions {
  scenario: Scenario;
  cluster: LabCluster;
  session: AdminSession;
  topic: string;
  groupId: string;
  consumers: ConsumerDriver;
  onStep: (step: FaultStep) => void;
  log: (message: string) => void;
}

export class FaultInjector {
  private ackWaiters: Waiter[] = [];
  private consumedWaiters: Waiter[] = [];
  private productionEnded = false;
  private consumptionEnded = false;
  private script: Promise<void> | null = null;
  private scriptDone = false;
  private readonly steps: FaultStep[] = [];
  private readonly facts: FaultFacts;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: FaultInjectorOptions) {
    this.facts = { kind: options.scenario.fault, injected: false, brokerId: null, slowedFollowers: [], uncleanElections: [] };
    this.unsubscribe = options.cluster.subscribe((event: ClusterEvent) => {
      if (event.type === 'unclean-election' && event.topic === options.topic) {
        this.facts.uncleanElections.push({ partition: event.partition, leader: event.leader, previousIsr: event.previousIsr });
      }
    });
  }

  private get trigger(): number {
    return Math.max(1, Math.floor(this.options.scenario.workload.records * this.options.scenario.faultAt));
  }

  start(): void {
    this.script = this.run()
      .catch((error: unknown) => {
        this.facts.missedBecause = `the fault could not be applied: ${error instanceof Error ? error.message : String(error)}`;
        this.options.log(this.facts.missedBecause);
      })
      .finally(() => {
        this.scriptDone = true;
      });
  }

  get done(): boolean {
    return this.scriptDone;
  }

  /** The producer's gate: a due step holds production until it releases it. */
  async beforeSend(acknowledged: number): Promise<void> {
    const due = this.ackWaiters.filter((waiter) => acknowledged >= waiter.count);
    this.ackWaiters = this.ackWaiters.filter((waiter) => acknowledged < waiter.count);
    for (const waiter of due) await new Promise<void>((release) => waiter.resolve(release));
  }

  productionDone(): void {
    this.productionEnded = true;
    for (const waiter of this.ackWaiters.splice(0)) waiter.resolve(null);
  }

  onConsumed(processed: number): void {
    const due = this.consumedWaiters.filter((waiter) => processed >= waiter.count);
    this.consumedWaiters = this.consumedWaiters.filter((waiter) => processed < waiter.count);
    for (const waiter of due) waiter.resolve(() => undefined);
  }

  /** The consumer went quiet: triggers it never reached will not come. */
  consumptionDone(): void {
    this.consumptionEnded = true;
    for (const waiter of this.consumedWaiters.splice(0)) waiter.resolve(null);
  }

  /** Resolves with a release once `count` records are acknowledged (production held until released), null if production ended first. */
  private atAcknowledged(count: number): Promise<Release | null> {
    if (this.productionEnded) return Promise.resolve(null);
    return new Promise((resolve) => this.ackWaiters.push({ count, resolve }));
  }

  /** At `count` acknowledged or after `ms`, whichever comes first; production is not held. */
  private async atAcknowledgedOrAfter(count: number, ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waiter: Waiter = { count, resolve: () => undefined };
    await new Promise<void>((resolve) => {
      waiter.resolve = (release) => {
        release?.();
        resolve();
      };
      timer = setTimeout(() => {
        this.ackWaiters = this.ackWaiters.filter((w) => w !== waiter);
        resolve();
      }, ms);
      if (this.productionEnded) resolve();
      else this.ackWaiters.push(waiter);
    });
    clearTimeout(timer);
  }

  private atConsumed(count: number): Promise<Release | null> {
    if (this.consumptionEnded) return Promise.resolve(null);
    return new Promise((resolve) => this.consumedWaiters.push({ count, resolve }));
  }

  private step(action: string, brokerId: number | null): void {
    const step: FaultStep = { action, brokerId, at: Date.now() };
    this.steps.push(step);
    this.options.onStep(step);
  }

  private miss(reason: string): void {
    this.facts.missedBecause = reason;
  }

  private async partition0(): Promise<{ leader: number; replicas: number[]; isr: number[] }> {
    const metadata = await topicMetadata(this.options.session, this.options.topic);
    const p0 = metadata.partitions.find((p) => p.partitionIndex === 0);
    if (p0 === undefined) throw new Error(`${this.options.topic} has no partition 0`);
    return { leader: p0.leaderId, replicas: p0.replicaNodes, isr: p0.isrNodes };
  }

  private async runningBrokers(): Promise<number[]> {
    return (await this.options.cluster.brokers()).filter((b) => b.state === 'running').map((b) => b.brokerId);
  }

  private async run(): Promise<void> {
    const { scenario, cluster } = this.options;
    const records = scenario.workload.records;
    switch (scenario.fault) {
      case 'none':
        return;
      case 'kill-leader': {
        const release = await this.atAcknowledged(this.trigger);
        if (release === null) return this.miss('production ended before the fault point');
        const { leader } = await this.partition0();
        this.facts.brokerId = leader;
        // Slowing is only needed where loss is the point: acks=all would simply wait for the followers.
        if (scenario.producer.acks !== -1) {
          const others = (await this.runningBrokers()).filter((id) => id !== leader);
          for (const id of others) await cluster.act(id, 'slow', SLOW_FETCH_DELAY_MS);
          this.facts.slowedFollowers = others;
          this.step(`slow the follower fetches of brokers ${others.join(',')} (${SLOW_FETCH_DELAY_MS} ms per fetch): new records now exist only on leader ${leader}`, null);
          release();
          await this.atAcknowledgedOrAfter(this.trigger + Math.floor(records * LEADER_ONLY_SHARE), LEADER_ONLY_WAIT_MS);
        } else {
          release();
        }
        await cluster.act(leader, 'kill');
        this.facts.injected = true;
        this.step(`kill (SIGKILL) broker ${leader}, leader of partition 0`, leader);
        await sleep(FAULT_HOLD_MS);
        for (const id of this.facts.slowedFollowers) await cluster.act(id, 'slow', 0);
        await cluster.act(leader, 'start');
        this.step(`restart broker ${leader}${this.facts.slowedFollowers.length > 0 ? ' and restore normal fetching' : ''}`, leader);
        return;
      }
      case 'unclean-election': {
        // Jepsen's recipe: the followers die first, so the ISR is the leader alone and every
        // record acknowledged from then on exists only there; then the leader dies, the
        // followers come back out of sync, and one of them is elected uncleanly.
        const release = await this.atAcknowledged(this.trigger);
        if (release === null) return this.miss('production ended before the fault point');
        const { leader } = await this.partition0();
        this.facts.brokerId = leader;
        const followers = (await this.runningBrokers()).filter((id) => id !== leader);
        for (const id of followers) await cluster.act(id, 'kill');
        this.step(`kill (SIGKILL) brokers ${followers.join(',')}: the ISR of partition 0 is now leader ${leader} alone`, null);
        release();
        await this.atAcknowledgedOrAfter(this.trigger + Math.floor(records * LEADER_ONLY_SHARE), LEADER_ONLY_WAIT_MS);
        await cluster.act(leader, 'kill');
        this.facts.injected = true;
        this.step(`kill (SIGKILL) broker ${leader}, the last in-sync replica of partition 0`, leader);
        for (const id of followers) await cluster.act(id, 'start');
        this.step(`restart brokers ${followers.join(',')}: out of sync, yet one of them is elected leader (unclean.leader.election.enable=true)`, null);
        await sleep(FAULT_HOLD_MS);
        await cluster.act(leader, 'start');
        this.step(`restart broker ${leader}: it truncates its log to the new leader's`, leader);
        return;
      }
      case 'restart-leader': {
        const release = await this.atAcknowledged(this.trigger);
        if (release === null) return this.miss('production ended before the fault point');
        release();
        const { leader } = await this.partition0();
        this.facts.brokerId = leader;
        await cluster.act(leader, 'stop');
        this.facts.injected = true;
        this.step(`stop broker ${leader} (controlled shutdown), leader of partition 0`, leader);
        await cluster.act(leader, 'start');
        this.step(`start broker ${leader} again`, leader);
        return;
      }
      case 'isolate-follower': {
        const release = await this.atAcknowledged(this.trigger);
        if (release === null) return this.miss('production ended before the fault point');
        release();
        const metadata = await topicMetadata(this.options.session, this.options.topic);
        const leaders = new Set(metadata.partitions.map((p) => p.leaderId));
        const { leader, replicas } = await this.partition0();
        const follower = replicas.find((id) => !leaders.has(id)) ?? replicas.find((id) => id !== leader);
        if (follower === undefined) return this.miss('partition 0 has no follower');
        this.facts.brokerId = follower;
        await cluster.act(follower, 'isolate');
        this.facts.injected = true;
        this.step(`isolate broker ${follower}, a follower of partition 0, from the controller and the other brokers`, follower);
        await sleep(FAULT_HOLD_MS);
        await cluster.act(follower, 'heal');
        this.step(`heal broker ${follower}`, follower);
        return;
      }
      case 'kill-consumer': {
        const held = await Promise.race([this.options.consumers.holding.then(() => true), this.atConsumed(Number.MAX_SAFE_INTEGER).then(() => false)]);
        if (!held) return this.miss('the consumer never stopped mid-batch: no batch had records left after the fault point');
        const killed = await this.options.consumers.killCurrent();
        this.facts.injected = killed !== null;
        this.step(`kill (SIGKILL) consumer ${killed} in the middle of a batch`, null);
        await this.options.consumers.start();
        this.step('start a replacement consumer in the same group', null);
        return;
      }
      case 'kill-coordinator': {
        const reached = await this.atConsumed(this.trigger);
        if (reached === null) return this.miss('the consumer went quiet before the fault point');
        const coordinator = await findGroupCoordinator(this.options.session, this.options.groupId);
        this.facts.brokerId = coordinator;
        await cluster.act(coordinator, 'kill');
        this.facts.injected = true;
        this.step(`kill (SIGKILL) broker ${coordinator}, coordinator of group ${this.options.groupId}`, coordinator);
        await sleep(FAULT_HOLD_MS);
        await cluster.act(coordinator, 'start');
        this.step(`restart broker ${coordinator}`, coordinator);
        return;
      }
    }
  }

  /** Waits for the fault's own healing, then makes sure every broker runs normally and the topic is fully replicated. */
  async finish(): Promise<void> {
    await this.script;
    await this.restoreCluster();
    const deadline = Date.now() + HEALTHY_TIMEOUT_MS;
    for (;;) {
      const metadata = await topicMetadata(this.options.session, this.options.topic).catch(() => null);
      const healthy = metadata?.partitions.every((p) => p.leaderId >= 0 && p.isrNodes.length === p.replicaNodes.length);
      if (healthy) return;
      if (Date.now() > deadline) {
        this.options.log(`${this.options.topic} is not fully replicated after ${HEALTHY_TIMEOUT_MS} ms; verifying anyway`);
        return;
      }
      await sleep(POLL_MS);
    }
  }

  /** Starts, heals and un-slows whatever a fault left behind (also after a failed run). */
  async restoreCluster(): Promise<void> {
    for (const broker of await this.options.cluster.brokers()) {
      if (broker.state !== 'running' && broker.state !== 'starting') await this.options.cluster.act(broker.brokerId, 'start');
      if (broker.isolated) await this.options.cluster.act(broker.brokerId, 'heal');
      if (broker.fetchDelayMs > 0) await this.options.cluster.act(broker.brokerId, 'slow', 0);
    }
  }

  report(): FaultFacts & { steps: FaultStep[] } {
    return { ...this.facts, uncleanElections: [...this.facts.uncleanElections], steps: [...this.steps] };
  }

  close(): void {
    this.unsubscribe();
  }
}
