import type { Logger } from '../../logging/logger';
import type { ControllerClient } from '../controller/controllerClient';
import type { MetadataImage } from '../metadata/metadataImage';
import type { ReplicaManager } from '../partition/replicaManager';
import type { BrokerConfig } from './brokerConfig';

/**
 * What request handlers may use: the broker's configuration, its applied view of the
 * cluster metadata, and the controller for changes. Handlers never reach into each other.
 */
export interface BrokerServices {
  config: BrokerConfig;
  metadata: MetadataImage;
  controller: ControllerClient;
  replicas: ReplicaManager;
  log: Logger;
}

export const INTERNAL_TOPICS: ReadonlySet<string> = new Set(['__consumer_offsets', '__transaction_state']);
