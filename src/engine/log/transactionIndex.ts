import { CorruptIndexError, IndexFile } from './indexFile';
import type { FsyncBatch } from './fsyncBatch';

/** Kafka's AbortedTxn entry format version. */
const ENTRY_VERSION = 0;
const ENTRY_SIZE = 34;

/**
 * One aborted transaction (KIP-98): the producer, the offset of its first data batch, the
 * offset of its ABORT marker, and the log's last stable offset right after the marker.
 */
export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: number;
  lastOffset: number;
  lastStableOffset: number;
}

export interface AbortedTransactionSearch {
  transactions: AbortedTransaction[];
  /** True when no later segment can hold a transaction overlapping the range. */
  complete: boolean;
}

/**
 * The aborted-transaction index (`.txnindex`) of one segment: every transaction whose ABORT
 * marker lies in the segment, in marker order. read_committed consumers get, with each fetch,
 * the aborted transactions overlapping the fetched range, and drop their batches client side.
 * Entries are version int16, producerId int64, firstOffset int64, lastOffset int64,
 * lastStableOffset int64, as in Kafka.
 */
export class TransactionIndex {
  private readonly file: IndexFile;
  private readonly aborted: AbortedTransaction[] = [];

  constructor(path: string) {
    this.file = new IndexFile(path, ENTRY_SIZE);
  }

  load(): void {
    const bytes = this.file.readAll();
    if (bytes.length % ENTRY_SIZE !== 0) {
      throw new CorruptIndexError(`${this.file.path} has ${bytes.length} bytes, not a multiple of ${ENTRY_SIZE}`);
    }
    this.aborted.length = 0;
    for (let at = 0; at < bytes.length; at += ENTRY_SIZE) {
      const version = bytes.readInt16BE(at);
      if (version !== ENTRY_VERSION) {
        throw new CorruptIndexError(`${this.file.path} entry ${at / ENTRY_SIZE} has version ${version}`);
      }
      this.aborted.push({
        producerId: bytes.readBigInt64BE(at + 2),
        firstOffset: Number(bytes.readBigInt64BE(at + 10)),
        lastOffset: Number(bytes.readBigInt64BE(at + 18)),
        lastStableOffset: Number(bytes.readBigInt64BE(at + 26)),
      });
    }
  }

  get entries(): readonly AbortedTransaction[] {
    return this.aborted;
  }

  append(transaction: AbortedTransaction): void {
    const last = this.aborted.at(-1);
    if (last !== undefined && transaction.lastOffset <= last.lastOffset) {
      throw new RangeError(`aborted transaction marker ${transaction.lastOffset} is not after the last indexed marker ${last.lastOffset}`);
    }
    this.file.append(encode(transaction), this.aborted.length);
    this.aborted.push({ ...transaction });
  }

  /**
   * Transactions overlapping [fetchOffset, upperBoundOffset): marker at or after the fetch
   * offset and first offset before the bound. Once a marker's last stable offset reaches the
   * bound, every later transaction starts at or after the bound, so the search is complete
   * (the same early exit as Kafka's TransactionIndex.collectAbortedTxns).
   */
  collect(fetchOffset: number, upperBoundOffset: number): AbortedTransactionSearch {
    const transactions: AbortedTransaction[] = [];
    for (const transaction of this.aborted) {
      if (transaction.lastOffset >= fetchOffset && transaction.firstOffset < upperBoundOffset) {
        transactions.push({ ...transaction });
      }
      if (transaction.lastStableOffset >= upperBoundOffset) return { transactions, complete: true };
    }
    return { transactions, complete: false };
  }

  /** Drops transactions whose marker is at or after `offset`. */
  truncateTo(offset: number): void {
    const keep = this.aborted.findIndex((transaction) => transaction.lastOffset >= offset);
    if (keep < 0) return;
    this.aborted.length = keep;
    this.file.truncateEntries(keep);
  }

  reset(transactions: readonly AbortedTransaction[]): void {
    this.aborted.length = 0;
    this.aborted.push(...transactions.map((transaction) => ({ ...transaction })));
    this.file.rewrite(Buffer.concat(transactions.map(encode)));
  }

  fsync(batch?: FsyncBatch): void {
    this.file.fsync(batch);
  }

  closeWriter(): void {
    this.file.closeWriter();
  }

  delete(): void {
    this.file.delete();
    this.aborted.length = 0;
  }
}

function encode(transaction: AbortedTransaction): Buffer {
  const bytes = Buffer.alloc(ENTRY_SIZE);
  bytes.writeInt16BE(ENTRY_VERSION, 0);
  bytes.writeBigInt64BE(transaction.producerId, 2);
  bytes.writeBigInt64BE(BigInt(transaction.firstOffset), 10);
  bytes.writeBigInt64BE(BigInt(transaction.lastOffset), 18);
  bytes.writeBigInt64BE(BigInt(transaction.lastStableOffset), 26);
  return bytes;
}
