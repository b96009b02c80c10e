import { z } from 'zod';
import { ClusterRefSchema } from './clusterRef';
import type { EmbeddedBrokerStatus } from './embedded';

/** brokers.list: one row per broker the cluster lists, plus those that went missing. */
export interface BrokerRow {
  readonly id: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
  readonly isController: boolean;
  /** 'down': seen before (or configured in the embedded cluster) but no longer listed by the cluster. */
  readonly status: 'up' | 'down';
  readonly leaders: number;
  readonly replicas: number;
  /** Replicas on this broker that are out of their partition's ISR. */
  readonly outOfSyncReplicas: number;
  /** Bytes in its log directories (DescribeLogDirs); null when unknown, with the reason. */
  readonly logDirBytes: number | null;
  readonly logDirsUnavailable: string | null;
  /** The broker's process, for the embedded cluster only. */
  readonly process: EmbeddedBrokerStatus | null;
}

export const BrokerScopeSchema = z.strictObject({ clusterId: ClusterRefSchema, brokerId: z.number().int().min(0) });

/** One replica the broker holds (brokers.describe). */
export interface BrokerReplicaRow {
  readonly topic: string;
  readonly partition: number;
  readonly role: 'leader' | 'follower';
  readonly leader: number | null;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly inIsr: boolean;
  /** Offsets behind the leader; null when unknown (see lagUnknownBecause). */
  readonly lag: number | null;
  readonly sizeBytes: number | null;
}

export interface BrokerLogDir {
  readonly path: string;
  readonly error: string | null;
  readonly sizeBytes: number;
  /** -1 when the broker does not report it. */
  readonly totalBytes: number;
  readonly usableBytes: number;
}

export interface BrokerDetail {
  /** null when the cluster neither lists nor remembers a broker with this id. */
  readonly broker: BrokerRow | null;
  readonly replicas: readonly BrokerReplicaRow[];
  readonly logDirs: readonly BrokerLogDir[] | null;
  readonly logDirsUnavailable: string | null;
  readonly lagUnknownBecause: string | null;
}
