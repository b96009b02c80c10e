import { runBrokerProcess } from './brokerMain';

/**
 * Entry point of the broker bundle (dist/node/broker.js): a broker process loads only the
 * engine, not the CLI, admin client or UI server, so it starts faster and uses less memory.
 */
await runBrokerProcess();
