/**
 * Producer ids for this broker, taken from blocks the controller hands out (Kafka's
 * AllocateProducerIds, KIP-730), so ids never repeat across brokers or restarts. Idempotent
 * producers and the transaction coordinator draw from the same blocks. Concurrent callers
 * share one block request instead of each fetching (and wasting) a block.
 */
export interface ProducerIdBlock {
  firstProducerId: number;
  count: number;
}

export const PRODUCER_ID_BLOCK_SIZE = 1000;

export class ProducerIdAllocator {
  private next = 0;
  private end = 0;
  private refill: Promise<void> | null = null;

  constructor(private readonly allocateBlock: (count: number) => Promise<ProducerIdBlock>) {}

  async nextProducerId(): Promise<bigint> {
    while (this.next >= this.end) {
      this.refill ??= this.allocateBlock(PRODUCER_ID_BLOCK_SIZE)
        .then((block) => {
          this.next = block.firstProducerId;
          this.end = block.firstProducerId + block.count;
        })
        .finally(() => {
          this.refill = null;
        });
      await this.refill;
    }
    return BigInt(this.next++);
  }
}
