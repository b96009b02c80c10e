import { runConsumerWorker } from './consumerWorker';

/**
 * Entry point of the lab consumer bundle (dist/node/labConsumer.js): the consumer process
 * loads kafkajs and its journal, not the CLI, the engine or the UI server, so a replacement
 * after a kill joins its group quickly, and the app can start it from Electron too.
 */
await runConsumerWorker();
