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
