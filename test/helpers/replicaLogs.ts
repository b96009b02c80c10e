import { existsSync, readFileSync } from 'node:fs';
import { readBatchHeader, splitBatches, verifyBatchCrc } from '../../src/protocol/records/batchHeader';
import { segmentFiles, waitFor, type EmbeddedCluster } from './embeddedCluster';

/**
 * What "the replicas' logs are identical" means in kafka-semantics.md section 6: the same
 * sequence of batches, compared by where each batch sits (base and last offset), which
 * leader epoch wrote it, and its CRC-32C (which covers producer id, sequence, timestamps
 * and every record byte). Read straight from each broker's segment files, as Kafka's
 * system tests compare replica logs with DumpLogSegments.
 */
export interface BatchFingerprint {
  baseOffset: number;
  lastOffset: number;
  leaderEpoch: number;
  crc: number;
}

/** Every whole batch in a partition directory, oldest first; throws on a batch whose CRC is wrong. */
export function batchFingerprints(partitionDir: string): BatchFingerprint[] {
  if (!existsSync(partitionDir)) return [];
  const fingerprints: BatchFingerprint[] = [];
  for (const file of segmentFiles(partitionDir)) {
    // A tail still being written may end in a partial batch: splitBatches leaves it out.
    const { batches } = splitBatches(readFileSync(file));
    for (const batch of batches) {
      if (!verifyBatchCrc(batch)) throw new Error(`${file}: the batch at offset ${readBatchHeader(batch).baseOffset} fails its CRC check`);
      const header = readBatchHeader(batch);
      const baseOffset = Number(header.baseOffset);
      fingerprints.push({ baseOffset, lastOffset: baseOffset + header.lastOffsetDelta, leaderEpoch: header.partitionLeaderEpoch, crc: header.crc });
    }
  }
  return fingerprints;
}

/** The offset after the last whole batch on disk (0 for an empty log). */
export function diskLogEndOffset(partitionDir: string): number {
  const fingerprints = batchFingerprints(partitionDir);
  return fingerprints.length === 0 ? 0 : fingerprints[fingerprints.length - 1]!.lastOffset + 1;
}

const describe = (f: BatchFingerprint) => `${f.baseOffset}-${f.lastOffset}@e${f.leaderEpoch}#${f.crc.toString(16)}`;

/**
 * Polls (bounded) until every listed broker holds the same non-empty batch sequence for the
 * partition, then returns it. Followers copy asynchronously, so a single read right after a
 * restart could catch one mid-fetch; a replica that diverged for good never converges and
 * the failure shows each broker's sequence where it first differs.
 */
export async function waitForIdenticalReplicaLogs(
  cluster: EmbeddedCluster,
  topic: string,
  partition: number,
  brokers: readonly number[],
  timeoutMs = 20_000,
): Promise<BatchFingerprint[]> {
  let last: Map<number, BatchFingerprint[]> = new Map();
  try {
    return await waitFor(
      `identical logs of ${topic}-${partition} on brokers ${brokers.join(',')}`,
      () => {
        last = new Map(brokers.map((broker) => [broker, batchFingerprints(cluster.partitionDir(broker, topic, partition))]));
        const sequences = [...last.values()].map((fingerprints) => fingerprints.map(describe).join(' '));
        return sequences[0]!.length > 0 && sequences.every((sequence) => sequence === sequences[0]) ? last.get(brokers[0]!)! : undefined;
      },
      timeoutMs,
      200,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${firstDifference(last)}`, { cause: error });
  }
}

/** Where the brokers' batch sequences first disagree, with a little context. */
function firstDifference(logs: Map<number, BatchFingerprint[]>): string {
  const entries = [...logs.entries()];
  const longest = Math.max(0, ...entries.map(([, fingerprints]) => fingerprints.length));
  let index = 0;
  while (index < longest && entries.every(([, f]) => f[index] !== undefined && describe(f[index]!) === describe(entries[0]![1][index]!))) index++;
  return entries
    .map(([broker, fingerprints]) => `broker ${broker} (${fingerprints.length} batches) from #${index}: ${fingerprints.slice(index, index + 5).map(describe).join(' ') || '(end)'}`)
    .join('\n');
}
