import type { AnyApiHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';
import { alterConfigsHandler, incrementalAlterConfigsHandler } from './alterConfigs';
import { createPartitionsHandler } from './createPartitions';
import { createTopicsHandler } from './createTopics';
import { deleteTopicsHandler } from './deleteTopics';
import { describeConfigsHandler } from './describeConfigs';

/** The topic and config administration APIs, all forwarded to the controller. */
export function topicAdminHandlers(services: BrokerServices): AnyApiHandler[] {
  return [
    createTopicsHandler(services),
    deleteTopicsHandler(services),
    createPartitionsHandler(services),
    describeConfigsHandler(services),
    alterConfigsHandler(services),
    incrementalAlterConfigsHandler(services),
  ];
}
