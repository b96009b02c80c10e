/**
 * Replication throttles (KIP-73, Kafka's ReplicationQuotaManager). A topic names the
 * replicas to throttle in leader.replication.throttled.replicas (on their leader) and
 * follower.replication.throttled.replicas (on the follower) as `partition:broker` pairs or
 * `*`; the broker's leader/follower.replication.throttled.rate bounds the bytes/s all such
 * replicas move together. As in Kafka, a replica in the ISR is never throttled, so acks=all
 * produce is not slowed: the throttle only paces replicas that are catching up, such as
 * those a reassignment adds.
 */
import type { BrokerId } from '../metadata/records';
import type { Partition } from './partition';

/** Whether a throttled-replicas list names `partition` on `brokerId` (`*` names every replica). */
export function namesReplica(list: string, partition: number, brokerId: BrokerId): boolean {
  const value = list.trim();
  if (value === '*') return true;
  if (value === '') return false;
  return value.split(',').some((entry) => {
    const [p, b] = entry.split(':').map((part) => Number(part.trim()));
    return p === partition && b === brokerId;
  });
}

/**
 * A token bucket over bytes: credit accrues at `rate` bytes/s up to one second's worth (the
 * burst Kafka's one-second sample window allows), a throttled read may take at most the
 * credit there is, and what it took is debited afterwards. A read returns at least one
 * whole batch, so the balance may dip below zero by one batch, which later reads repay; over
 * any interval T the throttled bytes stay within rate × T + one second's credit + one batch.
 */
export class ByteRateQuota {
  private rate: number | null = null;
  private balance = 0;
  private updatedAt = 0;

  /** null: unlimited. A new rate keeps the current balance, capped at the new burst. */
  setRate(rate: number | null, now = Date.now()): void {
    this.refill(now);
    this.rate = rate;
    if (rate !== null) this.balance = Math.min(this.balance, rate);
  }

  get limited(): boolean {
    return this.rate !== null;
  }

  /** Bytes a throttled read may take now (≤ 0: none; Infinity when unlimited). */
  available(now = Date.now()): number {
    this.refill(now);
    return this.rate === null ? Number.POSITIVE_INFINITY : this.balance;
  }

  record(bytes: number, now = Date.now()): void {
    this.refill(now);
    if (this.rate !== null) this.balance -= bytes;
  }

  /** How long until the credit reaches `seconds` worth of the rate (Infinity at rate 0, 0 when unlimited). */
  msUntilCredit(seconds: number, now = Date.now()): number {
    this.refill(now);
    if (this.rate === null) return 0;
    if (this.rate === 0) return Number.POSITIVE_INFINITY;
    const wanted = this.rate * Math.min(1, seconds);
    return Math.max(0, Math.ceil(((wanted - this.balance) / this.rate) * 1000));
  }

  private refill(now: number): void {
    if (this.rate !== null && now > this.updatedAt) this.balance = Math.min(this.rate, this.balance + (this.rate * (now - this.updatedAt)) / 1000);
    this.updatedAt = now;
  }
}

/** One side (leader or follower) of this broker's replication throttle. */
export class ReplicationThrottle {
  readonly quota = new ByteRateQuota();

  constructor(
    private readonly localBrokerId: BrokerId,
    /** The partition's leader- or follower.replication.throttled.replicas list. */
    private readonly throttledReplicasOf: (partition: Partition) => string,
  ) {}

  /**
   * Whether copying `partition` to `followerId` counts against this broker's quota: a rate
   * is set, the topic's list names the partition on this broker, and the follower is not in
   * the ISR (Kafka's shouldLeaderThrottle / shouldFollowerThrottle).
   */
  appliesTo(partition: Partition, followerId: BrokerId): boolean {
    if (!this.quota.limited || partition.state.isr.includes(followerId)) return false;
    return namesReplica(this.throttledReplicasOf(partition), partition.index, this.localBrokerId);
  }
}
