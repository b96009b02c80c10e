import { createLogger } from '../../logging/logger';
import { Broker } from '../broker/broker';
import { IpcControllerClient } from './ipcControllerClient';
import { BROKER_CONFIG_ENV, decodeBrokerConfig, type BrokerToHost, type HostToBroker } from './ipcMessages';

/**
 * Entry point of a broker process spawned by the cluster host. SIGTERM and the host's
 * `shutdown` message do a controlled shutdown; losing the host stops the broker, since a
 * broker that cannot reach its controller must not keep serving stale metadata.
 */
export async function runBrokerProcess(): Promise<void> {
  const config = decodeBrokerConfig(process.env[BROKER_CONFIG_ENV]);
  const log = createLogger(`broker-${config.brokerId}`);
  if (process.send === undefined) throw new Error('a broker process needs an IPC channel to its cluster host');
  const send = (message: BrokerToHost) => process.send!(message);
  const controller = new IpcControllerClient(send);
  const broker = new Broker(config, controller, log);
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    try {
      // A guard against a hang, not a budget: stopping early leaves logs without their
      // clean-shutdown marker, to be recovered at the next start (tens of thousands of
      // partitions take several seconds to sync).
      await Promise.race([broker.stop(), new Promise((resolve) => setTimeout(resolve, 60_000).unref())]);
    } finally {
      process.exit(code);
    }
  };
  process.on('message', (message: HostToBroker) => {
    if (message.kind === 'shutdown') void stop(0);
    else if (message.kind === 'fault') broker.replicas.setFaults({ isolated: message.isolated, fetchDelayMs: message.fetchDelayMs });
    else controller.receive(message);
  });
  process.on('disconnect', () => {
    controller.disconnect();
    log.warn('lost the cluster host; stopping');
    void stop(1);
  });
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  await broker.start();
  send({ kind: 'ready', port: broker.port });
}
