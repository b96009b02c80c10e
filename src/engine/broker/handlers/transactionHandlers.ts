// The transaction APIs: the coordinator's (InitProducerId, AddPartitionsToTxn,
// AddOffsetsToTxn, EndTxn, DescribeTransactions, ListTransactions), the group coordinator's
// TxnOffsetCommit, and the partition leader's (WriteTxnMarkers, DescribeProducers).
// FindCoordinator (key type 1) lives with the group APIs' lookup.
import type { GroupCoordinator } from '../../coordinator/groupCoordinator';
import type { ProducerIdAllocator } from '../../coordinator/producerIdAllocator';
import type { TransactionCoordinator } from '../../coordinator/transactionCoordinator';
import type { AnyApiHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';
import { addOffsetsToTxnHandler } from './addOffsetsToTxn';
import { addPartitionsToTxnHandler } from './addPartitionsToTxn';
import { describeProducersHandler } from './describeProducers';
import { describeTransactionsHandler } from './describeTransactions';
import { endTxnHandler } from './endTxn';
import { initProducerIdHandler } from './initProducerId';
import { listTransactionsHandler } from './listTransactions';
import { txnOffsetCommitHandler } from './txnOffsetCommit';
import { writeTxnMarkersHandler } from './writeTxnMarkers';

export interface TransactionHandlerDeps {
  services: BrokerServices;
  transactions: TransactionCoordinator;
  groups: GroupCoordinator;
  producerIds: ProducerIdAllocator;
}

export function transactionHandlers({ services, transactions, groups, producerIds }: TransactionHandlerDeps): AnyApiHandler[] {
  const partitionExists = (topic: string, partition: number) => services.metadata.partition(topic, partition) !== undefined;
  return [
    initProducerIdHandler(producerIds, transactions),
    addPartitionsToTxnHandler(transactions, partitionExists),
    addOffsetsToTxnHandler(transactions),
    endTxnHandler(transactions),
    txnOffsetCommitHandler(groups, partitionExists),
    writeTxnMarkersHandler(services, groups),
    describeTransactionsHandler(transactions),
    listTransactionsHandler(transactions),
    describeProducersHandler(services),
  ];
}
